// Scenarios (h) and (i) of `npm run bench`, on the built app of (g) (scripts/bench-serving.ts: same
// build in .next-bench, same seed, same load generator). Alone:
//
//   npx tsx scripts/bench-experiment.ts [--only h,i] [--skip-build] [--seconds 10] [--rounds 3]
//                                       [--connections 8] [--feedback-connections 32] [--new-percent 10]
//
// (h) serving with an experiment running: the seed of (g) plus a second version and a running 50/50
//     experiment on `production`. In interleaved rounds: the bare /api/health, the plain serving GET (no
//     subject: not routed) and the serving GET with `?subject=`: 90% returning subjects (a pool of 1,000,
//     each served once before the rounds) and 10% new ones. Targets as (g): req/s ≥ 80% of /api/health,
//     p99 ≤ 2×. Checked afterwards: one exposure row per subject, and a returning subject's variant is
//     the one it first got.
// (i) feedback ingestion: two apps on their own data directories, the group commit on (default
//     STROP_FEEDBACK_BATCH_MS) and off (STROP_FEEDBACK_BATCH_MS=0), loaded in interleaved rounds with
//     POST /api/v1/feedback (an API key, a thumbs value on one of 500 seeded generations, a unique
//     idempotency key) and POST /api/v1/feedback/batch (100 such items per request). No target: req/s
//     and p50/p95/p99 per request, items/s for the batch endpoint. Each request comes "through a proxy"
//     from one of 4,096 client addresses (STROP_TRUSTED_PROXY_HOPS=1, X-Forwarded-For): the routes' per-IP
//     limits (600 and 120 a minute) stay on as they would for many browsers, and never refuse.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedVersion } from "../app/api/v1/testing/serving-fixtures";
import { operatorProjectAccess } from "../lib/auth/access";
import { findServingVersion, recordGeneration, SYSTEM_ACTOR } from "../lib/db";
import { openDb } from "../lib/db/client";
import { changeProjectExperiment, createProjectExperiment } from "../lib/services/experiments/manage";
import { THUMBS_EXPERIMENT } from "../lib/services/experiments/testing";
import {
  appEnv,
  cpuNote,
  DIST_DIR,
  loadAverage,
  merge,
  PROJECT,
  PROMPT,
  runNode,
  seed,
  startApp,
  stopApp,
} from "./bench-serving";
import { fmt, root, row, rows } from "./bench-support";
import { type LoadOptions, type LoadResult, runLoad } from "./http-load";

const POOL = 1_000;
const GENERATIONS = 500;
const CLIENT_ADDRESSES = 4_096;

export interface ExperimentBenchOptions {
  only?: Set<string>;
  skipBuild?: boolean;
  seconds?: number;
  rounds?: number;
  connections?: number;
  feedbackConnections?: number;
  /** The share of (h)'s requests naming a new subject, percent (default 10). */
  newPercent?: number;
}

interface Seeded {
  apiKey: string;
  experimentId: string;
  generationIds: string[];
}

/** The seed of (g), a second version, a running 50/50 experiment on `production`, and generations. */
async function seedWorld(databaseUrl: string): Promise<Seeded> {
  const apiKey = await seed(databaseUrl);
  const db = await openDb(databaseUrl);
  try {
    const access = await operatorProjectAccess(db, PROJECT);
    const first = await findServingVersion(db, access.project.id, PROMPT, { version: 1 });
    if (!("found" in first)) throw new Error("the seed has no version 1");
    await seedVersion(db, first.found.taskId, {
      system: "You triage support tickets for an online shop. Answer with exactly one label.",
      output: "Labels: delivery, refund, account, product, other.\n\nTicket ({{tier}} customer):\n{{ticket}}",
      demos: [],
      params: { temperature: 0, maxOutputTokens: 5 },
      variableSchema: {
        type: "object",
        properties: { ticket: { type: "string" }, tier: { type: "string", default: "standard" } },
        required: ["ticket"],
      },
    });
    const created = await createProjectExperiment(
      db,
      access,
      { ...THUMBS_EXPERIMENT, name: "Bench", task: PROMPT },
      SYSTEM_ACTOR,
    );
    await changeProjectExperiment(db, access, created.id, "started", SYSTEM_ACTOR);
    const generationIds: string[] = [];
    for (let i = 0; i < GENERATIONS; i++) {
      const { id } = await recordGeneration(db, {
        projectId: access.project.id,
        taskId: first.found.taskId,
        versionId: first.found.versionId,
        label: "production",
        model: "sim:bench",
        variables: { ticket: `Ticket ${i}` },
        output: "delivery",
        error: null,
        inputTokens: 40,
        outputTokens: 1,
        costUsd: 0,
        latencyMs: 5,
        cached: false,
        apiKeyId: null,
        userId: null,
      });
      generationIds.push(id);
    }
    return { apiKey, experimentId: created.id, generationIds };
  } finally {
    await db.$disconnect();
  }
}

const line = (name: string, r: LoadResult) =>
  console.log(
    `    ${name.padEnd(24)} ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, ` +
      `p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors (by status: ${JSON.stringify(r.errorStatuses)})` : ""}`,
  );

const summary = (m: ReturnType<typeof merge>) =>
  `${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p95 ${m.p95.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${cpuNote(m)}`;

interface Running {
  dataDir: string;
  databaseUrl: string;
  server?: ChildProcess;
  base?: string;
  seeded?: Seeded;
}

function dataDirectory(): Running {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "strop-bench-experiment-"));
  return { dataDir, databaseUrl: `file:${path.join(dataDir, "strop.db")}` };
}

async function built(skipBuild: boolean, env: NodeJS.ProcessEnv): Promise<void> {
  if (skipBuild && existsSync(path.join(root, DIST_DIR, "BUILD_ID"))) {
    console.log("(h/i) reused the build");
    return;
  }
  const started = performance.now();
  const next = path.join(root, "node_modules/next/dist/bin/next");
  await runNode([next, "build"], { ...env, STROP_E2E_BUILD: "1" });
  console.log(`(h/i) built the app in ${fmt(performance.now() - started)}`);
}

async function scenarioH(app: Running, options: Required<Omit<ExperimentBenchOptions, "only">>) {
  const { apiKey, experimentId } = app.seeded!;
  const base = app.base!;
  const headers = { authorization: `Bearer ${apiKey}` };
  const servingPath = `/api/v1/projects/${PROJECT}/prompts/${PROMPT}?label=production`;
  const pool = Array.from({ length: POOL }, (_, i) => `returning-${i}`);
  const firstVariant = new Map<string, number>();
  const serveSubject = async (subject: string) => {
    const response = await fetch(`${base}${servingPath}&subject=${subject}`, { headers });
    if (response.status !== 200) throw new Error(`serving ${subject}: ${response.status}`);
    return ((await response.json()) as { experiment?: { variant: number } }).experiment?.variant;
  };
  // The pool's first visits: from now on they are returning subjects.
  for (const subject of pool) {
    const variant = await serveSubject(subject);
    if (variant === undefined) throw new Error("the serving GET with a subject named no experiment");
    firstVariant.set(subject, variant);
  }
  let fresh = 0;
  const targets: Record<string, Omit<LoadOptions, "connections" | "durationMs">> = {
    health: { url: `${base}/api/health` },
    "serving, no subject": { url: `${base}${servingPath}`, headers },
    "serving, experiment": {
      url: `${base}${servingPath}`,
      headers,
      next: (n) => {
        // Spread evenly: request n is new when the running count of new ones falls behind the share.
        const isNew =
          Math.floor(((n + 1) * options.newPercent) / 100) > Math.floor((n * options.newPercent) / 100);
        const subject = isNew ? `new-${fresh++}` : pool[(n * 7919) % POOL]!;
        return { path: `${servingPath}&subject=${subject}` };
      },
    },
  };
  const results: Record<string, LoadResult[]> = {};
  console.log(`(h) load average before ${loadAverage()}`);
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, target] of Object.entries(targets)) {
      const result = await runLoad({
        ...target,
        serverPid: app.server?.pid,
        connections: options.connections,
        durationMs: options.seconds * 1000,
        warmupMs: 1_000,
      });
      results[name] = [...(results[name] ?? []), result];
      line(`round ${round + 1} ${name}`, result);
    }
  }
  console.log(`(h) load average after ${loadAverage()}`);
  const health = merge(results.health!);
  const plain = merge(results["serving, no subject"]!);
  const routed = merge(results["serving, experiment"]!);
  console.log(
    `(h) /api/health: ${summary(health)}\n(h) serving, no subject: ${summary(plain)}\n` +
      `(h) serving with a subject (experiment): ${summary(routed)}`,
  );
  // Sticky, recorded once: a sample of the pool again, and one exposure row per subject seen.
  let moved = 0;
  for (const subject of pool.slice(0, 100))
    if ((await serveSubject(subject)) !== firstVariant.get(subject)) moved++;
  const db = await openDb(app.databaseUrl);
  const exposures = await db.exposure.count({ where: { experimentId } });
  await db.$disconnect();
  const subjects = POOL + fresh;
  const ratio = routed.rps / health.rps;
  row(
    "h",
    `serving GET with a subject (experiment running, ${options.newPercent}% new subjects) req/s vs /api/health (${options.connections} connections, ${options.rounds}×${options.seconds} s each)`,
    `${(ratio * 100).toFixed(1)}% (${routed.rps.toFixed(0)} vs ${health.rps.toFixed(0)} req/s)`,
    "≥ 80%",
    ratio >= 0.8 && routed.errors === 0 && health.errors === 0,
  );
  row(
    "h",
    "serving GET with a subject p99 vs /api/health p99",
    `${(routed.p99 / health.p99).toFixed(2)}× (${routed.p99.toFixed(2)} vs ${health.p99.toFixed(2)} ms)`,
    "≤ 2×",
    routed.p99 <= 2 * health.p99,
  );
  row(
    "h",
    "exposures recorded once per subject; returning subjects keep their variant",
    `${exposures} exposures for ${subjects} subjects; ${moved} of 100 returning subjects moved`,
    "equal; 0",
    exposures === subjects && moved === 0,
  );
}

/** The load of a feedback endpoint: `items` per request (1: the single endpoint, its body an object). */
function feedbackLoad(
  app: Running,
  tag: string,
  items: number,
): Omit<LoadOptions, "connections" | "durationMs"> {
  const { apiKey, generationIds } = app.seeded!;
  let sequence = 0;
  const item = () => {
    const n = sequence++;
    return {
      generationId: generationIds[n % generationIds.length],
      name: "thumbs_up",
      value: n % 3 !== 0,
      idempotencyKey: `${tag}-${n}`,
    };
  };
  return {
    url: `${app.base}/api/v1/feedback${items > 1 ? "/batch" : ""}`,
    expectStatus: 201,
    next: (n) => ({
      headers: {
        authorization: `Bearer ${apiKey}`,
        "x-forwarded-for": `10.0.${((n % CLIENT_ADDRESSES) >> 8) & 255}.${n & 255}`,
      },
      body: JSON.stringify(items > 1 ? Array.from({ length: items }, item) : item()),
    }),
  };
}

async function scenarioI(on: Running, off: Running, options: Required<Omit<ExperimentBenchOptions, "only">>) {
  const targets = {
    "single, group commit on": feedbackLoad(on, "single", 1),
    "single, group commit off": feedbackLoad(off, "single", 1),
    "batch of 100, commit on": feedbackLoad(on, "batch", 100),
    "batch of 100, commit off": feedbackLoad(off, "batch", 100),
  };
  const results: Record<string, LoadResult[]> = {};
  console.log(`(i) load average before ${loadAverage()}`);
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, target] of Object.entries(targets)) {
      const result = await runLoad({
        ...target,
        connections: options.feedbackConnections,
        durationMs: options.seconds * 1000,
        warmupMs: 1_000,
      });
      results[name] = [...(results[name] ?? []), result];
      line(`round ${round + 1} ${name}`, result);
    }
  }
  console.log(`(i) load average after ${loadAverage()}`);
  for (const [name, runs] of Object.entries(results)) {
    const m = merge(runs);
    const batch = name.startsWith("batch");
    row(
      "i",
      `POST /api/v1/feedback${batch ? "/batch (100 items)" : ""}, ${name.split(", ")[1]} (${options.feedbackConnections} connections, ${options.rounds}×${options.seconds} s)`,
      `${batch ? `${(m.rps * 100).toFixed(0)} items/s, ` : ""}${summary(m)}${m.errors ? `, ${m.errors} errors` : ""}`,
      "—",
      m.errors === 0,
    );
  }
}

export async function scenarioHI(options: ExperimentBenchOptions = {}): Promise<void> {
  const only = options.only ?? new Set(["h", "i"]);
  const settings = {
    skipBuild: options.skipBuild ?? false,
    seconds: options.seconds ?? 10,
    rounds: options.rounds ?? 3,
    connections: options.connections ?? 8,
    feedbackConnections: options.feedbackConnections ?? 32,
    newPercent: options.newPercent ?? 10,
  };
  const on = dataDirectory();
  const off = dataDirectory();
  const envOf = (app: Running, extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...appEnv(app.dataDir, app.databaseUrl),
    STROP_TRUSTED_PROXY_HOPS: "1",
    ...extra,
  });
  try {
    const onEnv = envOf(on, {});
    delete onEnv.STROP_FEEDBACK_BATCH_MS; // the default window
    const offEnv = envOf(off, { STROP_FEEDBACK_BATCH_MS: "0" });
    const [seededOn, seededOff] = await Promise.all([
      seedWorld(on.databaseUrl),
      only.has("i") ? seedWorld(off.databaseUrl) : Promise.resolve(undefined),
      built(settings.skipBuild, onEnv),
    ]);
    on.seeded = seededOn;
    off.seeded = seededOff;
    Object.assign(on, await startApp(onEnv));
    if (only.has("h")) await scenarioH(on, settings);
    if (only.has("i")) {
      Object.assign(off, await startApp(offEnv));
      await scenarioI(on, off, settings);
    }
  } finally {
    for (const app of [on, off]) {
      if (app.server) await stopApp(app.server);
      rmSync(app.dataDir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const number = (name: string) => (value(name) === undefined ? undefined : Number(value(name)));
  console.log(`Strop serving-with-experiment and feedback benchmark — load average ${loadAverage()}`);
  await scenarioHI({
    only: new Set((value("--only") ?? "h,i").split(",")),
    skipBuild: args.includes("--skip-build"),
    seconds: number("--seconds"),
    rounds: number("--rounds"),
    connections: number("--connections"),
    feedbackConnections: number("--feedback-connections"),
    newPercent: number("--new-percent"),
  });
  console.log("\n| scenario | check | measured | target | result |\n|---|---|---|---|---|");
  for (const r of rows) {
    const verdict = r.target === "—" && r.pass ? "—" : r.pass ? "PASS" : "FAIL";
    console.log(`| ${r.scenario} | ${r.check} | ${r.measured} | ${r.target} | ${verdict} |`);
  }
  process.exitCode = rows.some((r) => !r.pass) ? 1 : 0;
}
