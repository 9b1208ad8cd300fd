// CPU profiles of a piece of work, written as .cpuprofile files (open them in Chrome DevTools'
// Performance panel or speedscope; docs/performance.md says how to read one). The profile covers the
// whole process while the work runs: other work running at the same time shows up in it too.
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

export interface CpuProfiler {
  /** Stops profiling and writes the profile; returns the file written. */
  stop(): Promise<string>;
}

/** Sampling interval in microseconds: fine enough for a run's hot paths, cheap enough to leave on. */
const SAMPLING_INTERVAL_US = 500;

export async function startCpuProfile(dir: string, label: string): Promise<CpuProfiler> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      fs.mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = path.join(dir, `${label.replace(/[^\w.-]+/g, "_")}-${stamp}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

/** Runs `fn` under a CPU profile written to `dir` (when `dir` is set; otherwise just runs it). */
export async function withCpuProfile<T>(
  dir: string | undefined,
  label: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (!dir) return fn();
  const profiler = await startCpuProfile(dir, label);
  try {
    return await fn();
  } finally {
    const file = await profiler.stop();
    console.log(`[strop] CPU profile of ${label}: ${file}`);
  }
}
