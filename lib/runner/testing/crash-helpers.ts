// What the crash tests share (lib/runner/crash-resume.test.ts for runs, batch-crash-resume.test.ts for
// batches): a worker process that does what the app does at start (./worker.ts), polling, and multisets
// of request bodies.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");

export interface Worker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/**
 * A worker process: resumes the database's unfinished runs and batches with the embedded runner, exits
 * when they are done. Its processes are added to `children` (kill what is left in afterAll).
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
      env: { ...process.env, ...env, DATABASE_URL: databaseUrl, STROP_RUNNER: "embedded" },
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
