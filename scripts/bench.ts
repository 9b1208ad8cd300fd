// `npm run bench`: the LLM gateway against the loopback fake OpenAI server running in a child process
// (so the CPU measured is the client's alone). Prints measured value, target and PASS/FAIL per check.
//
//   (a) 1,000 calls, 100 ms latency, concurrency 32: wall ≤ 1.25 × ideal, CPU ≤ 3 ms per call
//   (b) a 50 requests/s provider limit and 5% HTTP 500s: nothing lost, wall ≤ 1.15 × ideal, 429s < 5%
//   (c) the run of (a) again from the (database) cache: no provider calls, ≥ 20× faster than (a)
//   (d) a batch of 100,000 rows and one of 10,000 (`strop batch` as users run it, a fresh process each,
//       against the fake server): peak RSS ≤ 300 MB, and the 100k peak within ±20% of the 10k peak
//   (e) two processes sharing one Redis-backed limit of 50 requests/s: combined rate within 10%
//   (ref) for comparison, no target: the run of (a) with plain generateText (undici fetch, SDK retries off)
//
// Options: --only a,b,c,d,e,ref   --calls N (default 1000)   --batch-rows 10000,100000
//          REDIS_URL (default redis://127.0.0.1:6379)
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText } from "ai";
import { openDb } from "../lib/db/client";
import { llmCacheRepository } from "../lib/db/llm-cache";
import { createLlm, type Gateway } from "../lib/llm/gateway";
import { createDbCacheStore } from "../lib/llm/gateway/db-cache";
import type { FakeStats } from "../lib/llm/testing/fake-openai-server";
import { runGatewayClients } from "../lib/llm/testing/gateway-client";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = new Set((argValue("--only") ?? "a,b,c,d,e,ref").split(","));
const N = Number(argValue("--calls") ?? 1000);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const MODEL = "openai-compatible:bench";

interface Row {
  scenario: string;
  check: string;
  measured: string;
  target: string;
  pass: boolean;
}
const rows: Row[] = [];
const row = (scenario: string, check: string, measured: string, target: string, pass: boolean) => {
  rows.push({ scenario, check, measured, target, pass });
  console.log(`  ${pass ? "PASS" : "FAIL"}  ${scenario}  ${check}: ${measured} (target ${target})`);
};

interface FakeProcess {
  baseURL: string;
  stats(): Promise<FakeStats>;
  stop(): Promise<void>;
}

/** The fake server in its own process; resolves once it prints its URL. */
async function startFake(flags: string[]): Promise<FakeProcess> {
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

const messages = (i: number, tag: string) => [
  { role: "system" as const, content: "You are a sentiment classifier. Answer positive or negative." },
  { role: "user" as const, content: `Review ${tag}-${i}: the film was better than I expected.` },
];

/** Fires `n` calls at once; the gateway's FIFO queue holds them to the model's concurrency. */
async function fire(llm: Gateway, n: number, tag: string) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => llm.generate({ model: MODEL, messages: messages(i, tag) })),
  );
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  const failures = results.filter((r) => r.status === "rejected");
  const cached = results.filter((r) => r.status === "fulfilled" && r.value.cached).length;
  return {
    wallMs,
    cpuMsPerCall: (used.user + used.system) / 1000 / n,
    ok: n - failures.length,
    cached,
    firstError: failures[0] ? String((failures[0] as PromiseRejectedResult).reason) : undefined,
  };
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

async function scenarioAC(): Promise<void> {
  const latency = 100;
  const concurrency = 32;
  const server = await startFake([
    "--latency",
    String(latency),
    "--jitter",
    "10",
    "--reply",
    "positive",
    "--no-record",
  ]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "strop-bench-"));
  const db = await openDb(`file:${path.join(dir, "bench.db")}`);
  try {
    const config = { [MODEL]: { baseURL: server.baseURL, concurrency } };
    const ideal = (N * latency) / concurrency;
    if (only.has("a")) {
      const llm = createLlm({ env: {}, models: config });
      await fire(llm, 2 * concurrency, "warm-a"); // connections and JIT
      const a = await fire(llm, N, "a");
      console.log(`(a) ${N} calls: ${fmt(a.wallMs)}, ${a.cpuMsPerCall.toFixed(2)} ms CPU/call, ${a.ok} ok`);
      row(
        "a",
        "wall time",
        `${fmt(a.wallMs)} (${(a.wallMs / ideal).toFixed(3)}× ideal ${fmt(ideal)})`,
        "≤ 1.25× ideal",
        a.wallMs <= 1.25 * ideal && a.ok === N,
      );
      row("a", "client CPU per call", `${a.cpuMsPerCall.toFixed(2)} ms`, "≤ 3 ms", a.cpuMsPerCall <= 3);
      const p = llm.stats().models[MODEL]?.latencyMs;
      if (p) console.log(`    latency p50 ${p.p50} ms, p95 ${p.p95} ms, p99 ${p.p99} ms`);
      rows.push({
        scenario: "a",
        check: "(reference) wall",
        measured: String(a.wallMs),
        target: "",
        pass: true,
      });
      await llm.close();
    }
    if (only.has("ref")) {
      // What a plain AI SDK loop costs on the same server: generateText with its default fetch.
      const model = createOpenAICompatible({
        name: "ref",
        baseURL: server.baseURL,
        includeUsage: true,
      }).chatModel("bench");
      const run = async (n: number, tag: string) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < n) {
              const i = next++;
              await generateText({
                model,
                messages: messages(i, tag),
                maxRetries: 0,
                allowSystemInMessages: true,
              });
            }
          }),
        );
      };
      await run(2 * concurrency, "warm-ref");
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run(N, "ref");
      const used = process.cpuUsage(cpu);
      const wallMs = performance.now() - started;
      const cpuMs = (used.user + used.system) / 1000 / N;
      console.log(`(ref) generateText: ${fmt(wallMs)}, ${cpuMs.toFixed(2)} ms CPU/call`);
      rows.push({
        scenario: "ref",
        check: "(reference) generateText + undici, same load as (a)",
        measured: `${fmt(wallMs)} (${(wallMs / ideal).toFixed(3)}× ideal), ${cpuMs.toFixed(2)} ms CPU/call`,
        target: "—",
        pass: true,
      });
    }
    if (only.has("c")) {
      const reference = Number(rows.find((r) => r.check === "(reference) wall")?.measured ?? ideal);
      const ttlSeconds = 3600;
      // First run fills the database cache; the second run is a new gateway (as a new process would be).
      const fill = createLlm({
        env: {},
        models: config,
        cache: { store: createDbCacheStore(llmCacheRepository(db)), ttlSeconds },
      });
      const first = await fire(fill, N, "a");
      await fill.close(); // waits for the cache writes, as the end of a run does
      const before = (await server.stats()).calls;
      const again = createLlm({
        env: {},
        models: config,
        cache: { store: createDbCacheStore(llmCacheRepository(db)), ttlSeconds },
      });
      const c = await fire(again, N, "a");
      const providerCalls = (await server.stats()).calls - before;
      console.log(
        `(c) first pass ${fmt(first.wallMs)} (${first.cached} cached); cached pass ${fmt(c.wallMs)}, ${c.cached} cached`,
      );
      row(
        "c",
        "provider calls on the repeat",
        String(providerCalls),
        "0",
        providerCalls === 0 && c.cached === N,
      );
      row(
        "c",
        "speed-up over (a)",
        `${(reference / c.wallMs).toFixed(1)}× (${fmt(c.wallMs)})`,
        "≥ 20×",
        reference / c.wallMs >= 20,
      );
    }
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

async function scenarioB(): Promise<void> {
  const rps = 50;
  const server = await startFake([
    "--latency",
    "100",
    "--jitter",
    "10",
    "--rps",
    String(rps),
    "--error-rate",
    "0.05",
    "--reply",
    "positive",
    "--no-record",
    "--seed",
    "7",
  ]);
  try {
    const llm = createLlm({
      env: {},
      models: {
        [MODEL]: { baseURL: server.baseURL, concurrency: 32, rateLimit: { requestsPerMinute: rps * 60 } },
      },
    });
    const ideal = (N / rps) * 1000;
    const b = await fire(llm, N, "b");
    const stats = await server.stats();
    const s429 = stats.outcomes["429"] ?? 0;
    const s500 = stats.outcomes["500"] ?? 0;
    const g = llm.stats().total;
    console.log(
      `(b) ${fmt(b.wallMs)}; server saw ${stats.calls} requests: ${s500} × 500, ${s429} × 429; gateway retries ${g.retries}${b.firstError ? `; first error: ${b.firstError}` : ""}`,
    );
    row("b", "results lost", String(N - b.ok), "0", b.ok === N);
    row(
      "b",
      "wall time",
      `${fmt(b.wallMs)} (${(b.wallMs / ideal).toFixed(3)}× ideal ${fmt(ideal)})`,
      "≤ 1.15× ideal",
      b.wallMs <= 1.15 * ideal,
    );
    const share = s429 / stats.calls;
    row(
      "b",
      "429s / requests",
      `${(share * 100).toFixed(2)}% (${s429}/${stats.calls})`,
      "< 5%",
      share < 0.05,
    );
    await llm.close();
  } finally {
    await server.stop();
  }
}

async function scenarioE(): Promise<void> {
  const rps = 50;
  const perWorker = Math.round(N * 0.3);
  const server = await startFake([
    "--latency",
    "100",
    "--jitter",
    "10",
    "--reply",
    "positive",
    "--no-record",
  ]);
  try {
    let startAt = 0;
    const job = {
      baseURL: server.baseURL,
      redisUrl: REDIS_URL,
      keyPrefix: `strop-bench:${randomUUID()}:`,
      calls: perWorker,
      requestsPerMinute: rps * 60,
      concurrency: 32,
    };
    const results = await runGatewayClients(
      [
        { ...job, worker: "one" },
        { ...job, worker: "two" },
      ],
      () => {
        startAt = Date.now();
      },
    );
    const stats = await server.stats();
    const times = stats.arrivals
      .map(([t]) => t)
      .filter((t) => t >= startAt)
      .sort((x, y) => x - y);
    const first = times[0] ?? startAt;
    const last = times.at(-1) ?? startAt;
    const span = Math.max(1, last - first);
    // The shared bucket starts full (one second's burst: `rps` calls at once) and then refills at
    // `rps`/s: beyond the burst, the calls of the whole run over its length are the rate it held.
    const overall = (times.length * 1000) / span;
    const rate = ((times.length - rps) * 1000) / span;
    const lost = results.reduce((n, r) => n + r.failed, 0);
    console.log(
      `(e) ${times.length} requests in ${fmt(span)}: ${overall.toFixed(1)}/s overall, ${rate.toFixed(1)}/s beyond the first second's burst; lost ${lost}`,
    );
    row(
      "e",
      "combined rate beyond the 1 s burst",
      `${rate.toFixed(1)} req/s (limit ${rps}; ${times.length} requests in ${fmt(span)})`,
      `${Math.round(rps * 0.9)}–${Math.round(rps * 1.1)} req/s`,
      Math.abs(rate - rps) <= rps * 0.1 && lost === 0,
    );
  } finally {
    await server.stop();
  }
}

// ---- (d) batches: peak memory does not grow with the rows ----------------------------------------------------

interface BatchChildResult {
  rows: number;
  wallMs: number;
  /** Peak RSS of the `strop batch` process (VmHWM, else resourceUsage's maxRSS), in MB. */
  peakRssMb: number;
  exitCode: number | null;
  outcome: { status: string; doneRows: number; failedRows: number; totalRows: number; calls: number };
}

/**
 * Preloaded into the measured `strop batch` process: at exit it writes its peak RSS to stderr (the
 * process is the CLI as users run it, with nothing of the benchmark loaded).
 */
const PEAK_RSS_REPORTER = `data:text/javascript,${encodeURIComponent(
  `import { readFileSync } from "node:fs";
process.on("exit", () => {
  let kb = process.resourceUsage().maxRSS;
  try { kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]); } catch {}
  process.stderr.write("PEAK-RSS-KB " + kb + "\\n");
});`,
)}`;

/** A CSV of `n` distinct rows, written as a stream. */
async function writeRows(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("id,text\n");
  for (let i = 1; i <= n; i++) {
    const line = `${i},"Review ${i}: the film was better than I expected, and the ending surprised me."\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

/** Counts the result file's rows and those done, streaming. */
async function countResults(file: string): Promise<{ lines: number; done: number }> {
  let lines = 0;
  let done = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (!line) continue;
    lines++;
    if ((JSON.parse(line) as { status: string }).status === "done") done++;
  }
  return { lines, done };
}

async function runBatchChild(
  dir: string,
  task: string,
  n: number,
  baseURL: string,
): Promise<BatchChildResult> {
  const input = path.join(dir, `rows-${n}.csv`);
  const out = path.join(dir, `results-${n}.jsonl`);
  await writeRows(input, n);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--import",
      PEAK_RSS_REPORTER,
      path.join(root, "bin/strop.mjs"),
      "batch",
      task,
      "--input",
      input,
      "--out",
      out,
      "--json",
      "--quiet",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(dir, `batch-${n}.db`)}`,
        OPENAI_COMPATIBLE_BASE_URL: baseURL,
        REDIS_URL: "",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [exitCode] = (await once(child, "exit")) as [number | null];
  const wallMs = performance.now() - started;
  const peak = /PEAK-RSS-KB (\d+)/.exec(stderr);
  if (!peak || exitCode !== 0)
    throw new Error(`strop batch (${n} rows) exited with ${exitCode}:\n${stdout}\n${stderr}`);
  const counted = await countResults(out);
  if (counted.lines !== n || counted.done !== n)
    throw new Error(`batch of ${n}: the result file has ${counted.lines} rows, ${counted.done} done`);
  rmSync(input, { force: true });
  rmSync(out, { force: true });
  rmSync(path.join(dir, `batch-${n}.db`), { force: true });
  return { rows: n, wallMs, peakRssMb: Number(peak[1]) / 1024, exitCode, outcome: JSON.parse(stdout) };
}

async function scenarioD(): Promise<void> {
  const sizes = (argValue("--batch-rows") ?? "10000,100000").split(",").map(Number);
  const latency = 5;
  const concurrency = 32;
  const server = await startFake(["--latency", String(latency), "--reply", "positive", "--no-record"]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "strop-bench-batch-"));
  try {
    const task = path.join(dir, "task.yaml");
    writeFileSync(
      task,
      [
        "name: bench-batch",
        "prompt:",
        "  system: You are a sentiment classifier. Answer positive or negative.",
        '  output: "Classify: {{text}}"',
        "dataset: { path: unused.csv }",
        "models:",
        `  task: { id: "openai-compatible:bench", concurrency: ${concurrency} }`,
        `  optimizer: { id: "openai-compatible:bench", concurrency: ${concurrency} }`,
        "metrics: [{ name: exact_match }]",
        "",
      ].join("\n"),
    );
    const results: BatchChildResult[] = [];
    for (const n of sizes) {
      const r = await runBatchChild(dir, task, n, server.baseURL);
      results.push(r);
      console.log(
        `(d) ${n.toLocaleString("en-US")} rows: ${fmt(r.wallMs)} (${Math.round((n / r.wallMs) * 1000)} rows/s), ` +
          `peak RSS ${r.peakRssMb.toFixed(1)} MB; ${r.outcome.doneRows} done, ${r.outcome.failedRows} failed, ` +
          `${r.outcome.calls} calls, exit ${r.exitCode}`,
      );
      row(
        "d",
        `peak RSS, ${n.toLocaleString("en-US")} rows`,
        `${r.peakRssMb.toFixed(1)} MB (${fmt(r.wallMs)}, ${Math.round((n / r.wallMs) * 1000)} rows/s)`,
        "≤ 300 MB",
        r.peakRssMb <= 300 && r.exitCode === 0 && r.outcome.doneRows === n && r.outcome.failedRows === 0,
      );
    }
    const small = results.find((r) => r.rows === Math.min(...sizes));
    const large = results.find((r) => r.rows === Math.max(...sizes));
    if (small && large && small !== large) {
      const ratio = large.peakRssMb / small.peakRssMb;
      row(
        "d",
        `peak RSS ${large.rows.toLocaleString("en-US")} vs ${small.rows.toLocaleString("en-US")} rows`,
        `${ratio.toFixed(3)}× (${large.peakRssMb.toFixed(1)} / ${small.peakRssMb.toFixed(1)} MB)`,
        "within ±20%",
        Math.abs(ratio - 1) <= 0.2,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

async function machine(): Promise<string> {
  const cpus = os.cpus();
  return `${os.availableParallelism()} CPUs (${cpus[0]?.model.trim() ?? "unknown"}), Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  console.log(
    `Strop gateway benchmark — ${await machine()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  if (only.has("a") || only.has("c")) await scenarioAC();
  if (only.has("b")) await scenarioB();
  if (only.has("d")) await scenarioD();
  if (only.has("e")) await scenarioE();
  const table = rows.filter((r) => r.check !== "(reference) wall");
  console.log("\n| scenario | check | measured | target | result |\n|---|---|---|---|---|");
  for (const r of table) {
    const verdict = r.scenario === "ref" ? "—" : r.pass ? "PASS" : "FAIL";
    console.log(`| ${r.scenario} | ${r.check} | ${r.measured} | ${r.target} | ${verdict} |`);
  }
  const checks = table.filter((r) => r.scenario !== "ref");
  const failed = checks.filter((r) => !r.pass).length;
  console.log(`\n${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
