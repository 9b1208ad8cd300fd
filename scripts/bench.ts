// `npm run bench`: the LLM gateway against the loopback fake OpenAI server running in a child process
// (so the CPU measured is the client's alone). Prints measured value, target and PASS/FAIL per check.
//
//   (a) 1,000 calls, 100 ms latency, concurrency 32: wall ≤ 1.25 × ideal, CPU ≤ 3 ms per call
//   (b) fault storm: a 50 requests/s provider limit and 20% faults (5% each: HTTP 500, connection reset,
//       200 with malformed JSON, 200 with truncated JSON): nothing lost, wall ≤ 1.15 × ideal (the admitted
//       requests back to back at the limit), 429s < 5%
//   (c) the run of (a) again from the (database) cache: no provider calls, ≥ 20× faster than (a)
//   (d) a batch of 100,000 rows and one of 10,000 (`strop batch` as users run it, a fresh process each,
//       against the fake server): peak RSS ≤ 300 MB, and the 100k peak within ±20% of the 10k peak
//   (e) two processes sharing one Redis-backed limit of 50 requests/s: combined rate within 10%
//   (f) the real `strop` process (scripts/bench-cli.ts): `strop --help` median ≤ 250 ms; `strop eval` of
//       1,000 rows, 100 ms ± 20 ms, concurrency 32: wall ≤ 1.15 × ideal; `strop optimize`: the time of
//       its calls ≤ 1.2 × their ideal
//   (g) the serving API on the built app (scripts/bench-serving.ts): GET …/prompts/{name} with an API key
//       ≥ 80% of /api/health's requests/s, p99 ≤ 2×, at 8 connections; the client's cached lookups ≥ 20,000/s
//   (h) the serving API with an experiment running (scripts/bench-experiment.ts): GET …?subject= (90%
//       returning, 10% new subjects) ≥ 80% of /api/health's requests/s, p99 ≤ 2×; one exposure per subject
//   (i) feedback ingestion (scripts/bench-experiment.ts), no target: POST /api/v1/feedback and …/batch
//       with the group commit on and off — requests (items) per second, p50/p95/p99
//   (ref) for comparison, no target: the run of (a) with plain generateText (undici fetch, SDK retries off)
//
// Options: --only a,b,c,d,e,f,g,h,i,ref   --calls N (default 1000)   --batch-rows 10000,100000   --eval-runs 3
//          --skip-build (g, h, i: reuse the last .next-bench build)   REDIS_URL (default redis://127.0.0.1:6379)
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText } from "ai";
import { openDb } from "../lib/db/client";
import { llmCacheRepository } from "../lib/db/llm-cache";
import { createLlm, type Gateway } from "../lib/llm/gateway";
import { createDbCacheStore } from "../lib/llm/gateway/db-cache";
import { runGatewayClients } from "../lib/llm/testing/gateway-client";
import { scenarioD } from "./bench-batch";
import { scenarioF } from "./bench-cli";
import { scenarioHI } from "./bench-experiment";
import { scenarioG } from "./bench-serving";
import { fmt, row, rows, startFake } from "./bench-support";

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = new Set((argValue("--only") ?? "a,b,c,d,e,f,g,h,i,ref").split(","));
const N = Number(argValue("--calls") ?? 1000);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const MODEL = "openai-compatible:bench";
// Every provider call of the benchmark goes to its loopback fake server (in this process, the
// `strop batch` children and the gateway clients, which inherit the environment).
process.env.STROP_EGRESS_ALLOW = "loopback";

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

/** Fault rates of (b): each a share of the requests the provider admits (20% in all). */
const STORM = { error500: 0.05, reset: 0.05, badJson: 0.05, truncated: 0.05 };
/** Retries per call in (b): a call is lost only after 7 faults in a row (0.2^7 ≈ 1e-5 per call). */
const STORM_RETRIES = 6;

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
    String(STORM.error500),
    "--reset-rate",
    String(STORM.reset),
    "--bad-json-rate",
    String(STORM.badJson),
    "--truncated-rate",
    String(STORM.truncated),
    "--reply",
    "positive",
    "--no-record",
    "--seed",
    "7",
  ]);
  try {
    const llm = createLlm({
      env: {},
      maxRetries: STORM_RETRIES,
      models: {
        [MODEL]: { baseURL: server.baseURL, concurrency: 32, rateLimit: { requestsPerMinute: rps * 60 } },
      },
    });
    const b = await fire(llm, N, "b");
    const stats = await server.stats();
    const seen = (outcome: string) => stats.outcomes[outcome] ?? 0;
    const s429 = seen("429");
    // Every admitted request (answered or faulted) took one of the provider's `rps` slots per second:
    // the best possible wall time serves them back to back.
    const admitted = stats.calls - s429;
    const ideal = (admitted / rps) * 1000;
    const g = llm.stats().total;
    console.log(
      `(b) ${fmt(b.wallMs)}; faults ${Object.entries(STORM)
        .map(([name, rate]) => `${name} ${rate * 100}%`)
        .join(", ")}; server saw ${stats.calls} requests: ${seen("200")} × 200, ${seen("500")} × 500, ` +
        `${seen("reset")} resets, ${seen("badJson")} × malformed JSON, ${seen("truncated")} × truncated JSON, ` +
        `${s429} × 429; gateway retries ${g.retries}${b.firstError ? `; first error: ${b.firstError}` : ""}`,
    );
    row("b", "results lost", String(N - b.ok), "0", b.ok === N);
    row(
      "b",
      "wall time",
      `${fmt(b.wallMs)} (${(b.wallMs / ideal).toFixed(3)}× ideal ${fmt(ideal)} for ${admitted} admitted requests)`,
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

async function machine(): Promise<string> {
  const cpus = os.cpus();
  return `${os.availableParallelism()} CPUs (${cpus[0]?.model.trim() ?? "unknown"}), Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** A figure without a target ("—"): printed, not counted, unless it failed outright (errors). */
const informational = (r: { scenario: string; target: string }) => r.scenario === "ref" || r.target === "—";

async function main(): Promise<void> {
  console.log(
    `Strop gateway benchmark — ${await machine()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  if (only.has("a") || only.has("c")) await scenarioAC();
  if (only.has("b")) await scenarioB();
  if (only.has("d")) await scenarioD((argValue("--batch-rows") ?? "10000,100000").split(",").map(Number));
  if (only.has("e")) await scenarioE();
  if (only.has("f")) await scenarioF(Number(argValue("--eval-runs") ?? 3));
  if (only.has("g")) await scenarioG({ skipBuild: args.includes("--skip-build") });
  // After (g), its build serves (h) and (i) too.
  if (only.has("h") || only.has("i"))
    await scenarioHI({ only, skipBuild: only.has("g") || args.includes("--skip-build") });
  const table = rows.filter((r) => r.check !== "(reference) wall");
  console.log("\n| scenario | check | measured | target | result |\n|---|---|---|---|---|");
  for (const r of table) {
    const verdict = informational(r) && r.pass ? "—" : r.pass ? "PASS" : "FAIL";
    console.log(`| ${r.scenario} | ${r.check} | ${r.measured} | ${r.target} | ${verdict} |`);
  }
  const checks = table.filter((r) => !informational(r) || !r.pass);
  const failed = checks.filter((r) => !r.pass).length;
  console.log(`\n${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
