// What the scenarios of `npm run bench` (scripts/bench.ts, scripts/bench-batch.ts) share: the result rows,
// the fake OpenAI server in a child process (so the CPU measured is the client's alone) and formatting.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { FakeStats } from "../lib/llm/testing/fake-openai-server";

export const root = path.resolve(import.meta.dirname, "..");

export interface Row {
  scenario: string;
  check: string;
  measured: string;
  target: string;
  pass: boolean;
}
export const rows: Row[] = [];
export const row = (scenario: string, check: string, measured: string, target: string, pass: boolean) => {
  rows.push({ scenario, check, measured, target, pass });
  console.log(`  ${pass ? "PASS" : "FAIL"}  ${scenario}  ${check}: ${measured} (target ${target})`);
};

export interface FakeProcess {
  baseURL: string;
  stats(): Promise<FakeStats>;
  stop(): Promise<void>;
}

/** The fake server in its own process; resolves once it prints its URL. */
export async function startFake(flags: string[]): Promise<FakeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "lib/llm/testing/fake-openai-server.ts"), "--port", "0", ...flags],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const baseURL = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /baseURL (\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return {
    baseURL,
    stats: async () => (await fetch(baseURL.replace(/\/v1$/, "/_fake/stats"))).json() as Promise<FakeStats>,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
