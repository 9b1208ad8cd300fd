// What the crash and two-runner tests share (lib/runner/crash-resume.test.ts for runs,
// batch-crash-resume.test.ts for batches, two-runners.test.ts for both): a worker process that does what
// the app does with the embedded runner (./worker.ts), polling, and multisets of request bodies.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");

export interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** Short leases, so that a killed worker's jobs are taken over within seconds. */
export const TEST_LEASE_ENV = { STROP_JOB_LEASE_SECONDS: "5", STROP_JOB_POLL_SECONDS: "0.25" };

/**
 * A worker process: resumes the database's unfinished jobs with the embedded runner and takes over
 * those whose lease expires, exits when none is left. Its processes are added to `children` (kill what
 * is left in afterAll).
 */
export function startWorker(
  databaseUrl: string,
  env: Record<string, string>,
  children: ChildProcess[] = [],
): Worker {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "lib/runner/testing/worker.ts")],
    {
      cwd: root,
      env: { ...process.env, ...TEST_LEASE_ENV, ...env, DATABASE_URL: databaseUrl, STROP_RUNNER: "embedded" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

/** What a worker's start-up resume did for kind `kind` (its first output line). */
export function startupResume(output: string, kind: string): { resumed: string[]; heldElsewhere: string[] } {
  const line = output.split("\n").find((l) => l.startsWith("{")) ?? "{}";
  return (
    (JSON.parse(line) as Record<string, { resumed: string[]; heldElsewhere: string[] }>)[kind] ?? {
      resumed: [],
      heldElsewhere: [],
    }
  );
}

export async function until(check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Multiset of strings (e.g. request bodies): how often each occurs. */
export function counts(items: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}
