// CPU profiles for the CLI's `--profile` (the job engine profiles executions itself with STROP_PROFILE_DIR).
export { withCpuProfile } from "@/lib/runner/cpu-profile";
