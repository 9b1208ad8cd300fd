// Scenario (f) of `npm run bench`: the real `strop` process (bin/strop.mjs, a fresh process per run, its
// own SQLite file), as users run it, against the loopback fake OpenAI server (100 ms ± 20 ms latency):
//   - `strop --help`, median of 15 runs: ≤ 250 ms
//   - `strop eval` of 1,000 rows at concurrency 32: process wall time ≤ 1.15 × the ideal 3.125 s; each
//     run follows one of the floor (scripts/bench-cli-floor.mjs: a bare Node process making the same calls)
//   - `strop optimize` (critique-rewrite, the simulator answering through the fake server): the time its
//     calls kept the server busy ≤ 1.2 × their ideal
// The fake server runs in this (otherwise idle) process, so that it can note when each call arrived and
// when its answer left.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type FakeCall, startFakeOpenAIServer } from "../lib/llm/testing/fake-openai-server";
import { fmt, root, row } from "./bench-support";

const LATENCY_MS = 100;
const JITTER_MS = 20;
const CONCURRENCY = 32;
const HELP_RUNS = 15;
const EVAL_ROWS = 1000;
/** Every run gets a copy of this database (an empty response cache), migrated beforehand as a user's is. */
const MIGRATED_DB = "migrated.db";

interface CallSpan {
  model: string;
  start: number;
  end: number;
}

/** The fake server with seeded latency draws; `spans` holds every finished call's time at the server. */
async function timedFake(reply?: string) {
  let state = 12345;
  const jitter = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
  const started = new Map<number, number>();
  const spans: CallSpan[] = [];
  const server = await startFakeOpenAIServer({
    record: false,
    latencyMs: (call: FakeCall) => {
      started.set(call.index, performance.now());
      return LATENCY_MS + jitter() * JITTER_MS;
    },
    respond: (call: FakeCall) => {
      spans.push({ model: call.model, start: started.get(call.index) ?? 0, end: performance.now() });
      return reply === undefined || call.kind === "embeddings" ? undefined : { content: reply };
    },
  });
  return { server, spans };
}

interface StropRun {
  wallMs: number;
  /** performance.now() at spawn and at exit, to set against the calls' spans. */
  spawnedAt: number;
  exitedAt: number;
  stdout: string;
  stderr: string;
}

/** `BENCH_CLI_PROF=<dir>`: each `strop eval` and `strop optimize` writes a CPU profile there. */
const profileArgs = (args: string[]) =>
  process.env.BENCH_CLI_PROF && args[0] !== "--help" && args[0] !== "db"
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CLI_PROF}`, "--cpu-prof-interval=250"]
    : [];

async function strop(args: string[], env: Record<string, string> = {}): Promise<StropRun> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...profileArgs(args), path.join(root, "bin/strop.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, REDIS_URL: "", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  const exitedAt = performance.now();
  if (code !== 0) throw new Error(`strop ${args.join(" ")} exited with ${code}:\n${stdout}\n${stderr}`);
  return { wallMs: exitedAt - spawnedAt, spawnedAt, exitedAt, stdout, stderr };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function helpScenario(): Promise<void> {
  await strop(["--help"]); // builds the CLI bundle if a source changed since the last start
  const times: number[] = [];
  for (let i = 0; i < HELP_RUNS; i++) times.push((await strop(["--help"])).wallMs);
  const m = median(times);
  console.log(
    `(f) strop --help × ${HELP_RUNS}: median ${fmt(m)}, min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))}`,
  );
  row("f", `strop --help, median of ${HELP_RUNS}`, fmt(m), "≤ 250 ms", m <= 250);
}

function taskYaml(name: string, dataset: string, extra: string[]): string {
  const model = `{ id: "openai-compatible:default", concurrency: ${CONCURRENCY} }`;
  return [
    `name: ${name}`,
    "prompt:",
    "  system: You are a sentiment classifier.",
    "  output: |-",
    "    Classify the sentiment of this review as positive, negative or neutral.",
    "",
    "    Review: {{text}}",
    `dataset: { path: ${dataset}, id: id, expected: label, inputs: [text] }`,
    "models:",
    `  task: ${model}`,
    `  optimizer: ${model}`,
    "metrics: [{ name: exact_match }]",
    ...extra,
    "",
  ].join("\n");
}

/** How a process that made the eval's calls spent its time, from spawn to exit, against the calls' spans. */
function callTimeline(run: { wallMs: number; spawnedAt: number; exitedAt: number }, spans: CallSpan[]) {
  if (spans.length !== EVAL_ROWS) throw new Error(`${spans.length} calls arrived, not ${EVAL_ROWS}`);
  const first = Math.min(...spans.map((s) => s.start));
  const last = Math.max(...spans.map((s) => s.end));
  const ideal = (EVAL_ROWS * LATENCY_MS) / CONCURRENCY;
  return (
    `${fmt(run.wallMs)} (${(run.wallMs / ideal).toFixed(3)}× ideal): start to first call ` +
    `${fmt(first - run.spawnedAt)}, calls ${fmt(last - first)}, last answer to exit ${fmt(run.exitedAt - last)}`
  );
}

/** The floor (scripts/bench-cli-floor.mjs): a bare Node process making the same calls and nothing else. */
async function floorRun(): Promise<number> {
  const { server, spans } = await timedFake("positive");
  try {
    const spawnedAt = performance.now();
    const child = spawn(
      process.execPath,
      [path.join(root, "scripts/bench-cli-floor.mjs"), server.baseURL, `${EVAL_ROWS}`, `${CONCURRENCY}`],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    const [code] = (await once(child, "exit")) as [number | null];
    const exitedAt = performance.now();
    if (code !== 0) throw new Error(`the floor process exited with ${code}`);
    const wallMs = exitedAt - spawnedAt;
    console.log(
      `(f) floor, bare node:http, ${EVAL_ROWS} calls: ${callTimeline({ wallMs, spawnedAt, exitedAt }, spans)}`,
    );
    return wallMs;
  } finally {
    await server.close();
  }
}

async function evalScenario(dir: string, runs: number): Promise<void> {
  const rows = ["id,text,label"];
  for (let i = 1; i <= EVAL_ROWS; i++)
    rows.push(
      `${i},"Review ${i}: the film was better than I expected, and the ending surprised me.",positive`,
    );
  writeFileSync(path.join(dir, "rows.csv"), `${rows.join("\n")}\n`);
  const task = path.join(dir, "eval.yaml");
  writeFileSync(task, taskYaml("bench-eval", "rows.csv", []));
  const ideal = (EVAL_ROWS * LATENCY_MS) / CONCURRENCY;
  const walls: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved with the evals, so that both see the machine as it is at the time.
    floors.push(await floorRun());
    const { server, spans } = await timedFake("positive");
    const database = path.join(dir, `eval-${i}.db`);
    copyFileSync(path.join(dir, MIGRATED_DB), database);
    try {
      const run = await strop(["eval", task, "--json"], {
        DATABASE_URL: `file:${database}`,
        OPENAI_COMPATIBLE_BASE_URL: server.baseURL,
      });
      walls.push(run.wallMs);
      console.log(`(f) strop eval, ${EVAL_ROWS} rows: ${callTimeline(run, spans)}`);
    } finally {
      await server.close();
    }
  }
  const m = median(walls);
  const floor = median(floors);
  row(
    "f",
    `strop eval, ${EVAL_ROWS} rows, concurrency ${CONCURRENCY}, median of ${runs}`,
    `${fmt(m)} (${(m / ideal).toFixed(3)}× ideal ${fmt(ideal)}; runs ${walls.map(fmt).join(", ")}; ` +
      `floor ${fmt(floor)}, ${(floor / ideal).toFixed(3)}×)`,
    "≤ 1.15× ideal",
    m <= 1.15 * ideal,
  );
}

/** Periods during which at least one call was in flight, with the calls that started in each. */
function busyPeriods(spans: CallSpan[]): { start: number; end: number; calls: number }[] {
  const periods: { start: number; end: number; calls: number }[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const current = periods.at(-1);
    if (current && span.start <= current.end) {
      current.end = Math.max(current.end, span.end);
      current.calls++;
    } else periods.push({ start: span.start, end: span.end, calls: 1 });
  }
  return periods;
}

async function optimizeScenario(dir: string): Promise<void> {
  const task = path.join(dir, "optimize.yaml");
  const dataset = path.join(root, "examples/sentiment/reviews.csv");
  writeFileSync(
    task,
    taskYaml("bench-optimize", JSON.stringify(dataset), [
      "optimizer: { strategy: critique-rewrite, candidates: 4, failures: 8 }",
      "splits: { validation: 0.3, test: 0.35 }",
      "stop: { maxIterations: 3, patience: 3 }",
      "seed: 7",
    ]),
  );
  const { server, spans } = await timedFake();
  try {
    const database = path.join(dir, "optimize.db");
    copyFileSync(path.join(dir, MIGRATED_DB), database);
    const run = await strop(["optimize", task, "--json"], {
      DATABASE_URL: `file:${database}`,
      OPENAI_COMPATIBLE_BASE_URL: server.baseURL,
    });
    const periods = busyPeriods(spans);
    const busy = periods.reduce((sum, p) => sum + (p.end - p.start), 0);
    // Ideal: every call takes the nominal latency and the model's slots are never idle while calls
    // wait; a period of fewer calls than slots still takes one latency.
    const ideal = periods.reduce(
      (sum, p) => sum + Math.max(LATENCY_MS, (p.calls * LATENCY_MS) / CONCURRENCY),
      0,
    );
    const ratio = busy / ideal;
    console.log(
      `(f) strop optimize: ${fmt(run.wallMs)} wall, ${spans.length} calls in ${periods.length} busy periods ` +
        `(${periods.map((p) => p.calls).join(", ")}); busy ${fmt(busy)}, ideal ${fmt(ideal)}`,
    );
    row(
      "f",
      "strop optimize: time of its calls",
      `${fmt(busy)} (${ratio.toFixed(3)}× ideal ${fmt(ideal)}; ${spans.length} calls, process ${fmt(run.wallMs)})`,
      "≤ 1.2× ideal",
      ratio <= 1.2,
    );
  } finally {
    await server.close();
  }
}

/** Runs (f); `evalRuns` runs of `strop eval` (the median is checked). */
export async function scenarioF(evalRuns = 3): Promise<void> {
  console.log(
    `(f) load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), "strop-bench-cli-"));
  try {
    await strop(["db", "migrate"], { DATABASE_URL: `file:${path.join(dir, MIGRATED_DB)}` });
    await helpScenario();
    await evalScenario(dir, evalRuns);
    await optimizeScenario(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `(f) load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}
