// Scenario (g) of `npm run bench`: the serving API on the built app (`next start`), side by side with
// the app's bare route handler (/api/health: a constant JSON, no auth, no database), both loaded in the
// same run by the same keep-alive load generator (scripts/http-load.ts) with 8 connections, in
// interleaved rounds; then the TypeScript client's cached lookups per second. Alone:
//
//   npx tsx scripts/bench-serving.ts [--skip-build] [--seconds 10] [--rounds 3] [--connections 8]
//
// The app is built into its own folder (.next-bench; --skip-build reuses it) over a fresh SQLite data
// directory seeded with a project, a prompt whose `production` label points at its version, and a
// viewer API key. The per-key API rate limit stays on, raised through the environment so that it never
// refuses (its charge is part of what is measured).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { pointLabel, seedTask, seedVersion } from "../app/api/v1/testing/serving-fixtures";
import { generateApiKey } from "../lib/auth/api-key-secret";
import { StropClient } from "../lib/client/strop-client";
import { createApiKey } from "../lib/db/api-keys";
import { openDb } from "../lib/db/client";
import { ensureProject, getProjectById } from "../lib/db/projects";
import { fmt, root, row } from "./bench-support";
import { type LoadResult, percentile, runLoad } from "./http-load";

export const DIST_DIR = ".next-bench";
export const PROJECT = "bench";
export const PROMPT = "triage";

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}`)),
    );
  });
}

/** A project with a labelled prompt and a viewer key, in the SQLite file the app will open. */
export async function seed(databaseUrl: string): Promise<string> {
  const db = await openDb(databaseUrl);
  try {
    const ref = await ensureProject(db, PROJECT);
    const project = (await getProjectById(db, ref.id))!;
    const taskId = await seedTask(db, project.id, PROMPT);
    const versionId = await seedVersion(db, taskId, {
      system: "You triage support tickets for an online shop. Answer with one label only.",
      output:
        "Labels: delivery, refund, account, product, other.\n\nTicket from a {{tier}} customer:\n{{ticket}}",
      demos: [{ input: { tier: "gold", ticket: "My parcel is two weeks late." }, output: "delivery" }],
      params: { temperature: 0, maxOutputTokens: 5 },
      variableSchema: {
        type: "object",
        properties: {
          ticket: { type: "string", description: "The ticket's text" },
          tier: { type: "string", enum: ["standard", "gold"], default: "standard" },
        },
        required: ["ticket"],
      },
    });
    await pointLabel(db, project.id, taskId, "production", versionId);
    const key = generateApiKey();
    await createApiKey(
      db,
      {
        projectId: project.id,
        organizationId: project.organization.id,
        name: "bench",
        role: "viewer",
        prefix: key.prefix,
        secretHash: key.secretHash,
        createdById: null,
      },
      { type: "system", id: null, label: "bench", ip: null, userAgent: null },
    );
    return key.secret;
  } finally {
    await db.$disconnect();
  }
}

export async function waitUntilUp(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("next start did not answer within 60 s");
}

export function merge(results: LoadResult[]) {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const sorted = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    requests,
    errors: results.reduce((n, r) => n + r.errors, 0),
    rps: requests / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    /** The server's CPU per answered request, µs (NaN when not measured). */
    cpuUsPerRequest: (results.reduce((n, r) => n + r.serverCpuMs, 0) * 1000) / requests,
  };
}

/** "CPU 1,234 µs/request" for a merged result, or "" where it was not measured. */
export const cpuNote = (m: ReturnType<typeof merge>) =>
  Number.isFinite(m.cpuUsPerRequest) ? `, server CPU ${Math.round(m.cpuUsPerRequest)} µs/request` : "";

/** Lookups per second of a warm client (every lookup answered from its cache). */
async function clientLookups(
  baseUrl: string,
  apiKey: string,
): Promise<{ perSecond: number; lookups: number }> {
  const client = new StropClient({ baseUrl, project: PROJECT, apiKey, ttlMs: 3_600_000 });
  await client.getPrompt(PROMPT);
  for (let i = 0; i < 20_000; i++) await client.getPrompt(PROMPT); // JIT
  const lookups = 200_000;
  const started = performance.now();
  for (let i = 0; i < lookups; i++) await client.getPrompt(PROMPT);
  return { perSecond: lookups / ((performance.now() - started) / 1000), lookups };
}

/** The environment of `next build` and `next start` over the data directory (no Redis, no Inngest). */
export function appEnv(dataDir: string, databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    STROP_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    STROP_NEXT_DIST_DIR: DIST_DIR,
    STROP_API_RATE_LIMIT_KEY_PER_MINUTE: "100000000",
    STROP_API_RATE_LIMIT_KEY_BURST: "1000000",
  };
  for (const name of ["REDIS_URL", "STROP_RUNNER", "INNGEST_DEV", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"])
    delete env[name];
  return env;
}

/** `next start` of the built app on a free port, once /api/health answers. */
export async function startApp(env: NodeJS.ProcessEnv): Promise<{ server: ChildProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const profile = process.env.BENCH_SERVER_PROF;
  const server = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
      path.join(root, "node_modules/next/dist/bin/next"),
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  try {
    await waitUntilUp(`${base}/api/health`, server);
  } catch (error) {
    await stopApp(server);
    throw error;
  }
  return { server, base };
}

export async function stopApp(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const stopped = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await stopped;
}

export interface ServingBenchOptions {
  skipBuild?: boolean;
  seconds?: number;
  rounds?: number;
  connections?: number;
}

export async function scenarioG(options: ServingBenchOptions = {}): Promise<void> {
  const seconds = options.seconds ?? 10;
  const rounds = options.rounds ?? 3;
  const connections = options.connections ?? 8;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "strop-bench-serving-"));
  const databaseUrl = `file:${path.join(dataDir, "strop.db")}`;
  const env = appEnv(dataDir, databaseUrl);
  const next = path.join(root, "node_modules/next/dist/bin/next");
  let server: ChildProcess | undefined;
  try {
    const reuse = options.skipBuild && existsSync(path.join(root, DIST_DIR, "BUILD_ID"));
    const started = performance.now();
    const [apiKey] = await Promise.all([
      seed(databaseUrl),
      // The e2e build's settings (next.config.ts): no type check (npm test runs it), no Turbopack cache.
      reuse ? Promise.resolve() : runNode([next, "build"], { ...env, STROP_E2E_BUILD: "1" }),
    ]);
    console.log(`(g) ${reuse ? "reused the build" : `built the app in ${fmt(performance.now() - started)}`}`);
    const app = await startApp(env);
    server = app.server;
    const base = app.base;
    const targets = {
      health: { url: `${base}/api/health` },
      serving: {
        url: `${base}/api/v1/projects/${PROJECT}/prompts/${PROMPT}?label=production`,
        headers: { authorization: `Bearer ${apiKey}` },
      },
    };
    const check = await fetch(targets.serving.url, { headers: targets.serving.headers });
    if (check.status !== 200)
      throw new Error(`the serving GET answered ${check.status}: ${await check.text()}`);
    console.log(`(g) load average before ${loadAverage()}`);
    const results: Record<keyof typeof targets, LoadResult[]> = { health: [], serving: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of ["health", "serving"] as const) {
        const result = await runLoad({
          ...targets[name],
          serverPid: server.pid,
          connections,
          durationMs: seconds * 1000,
          warmupMs: 1_000,
        });
        results[name].push(result);
        console.log(
          `    round ${round + 1} ${name.padEnd(7)} ${result.requestsPerSecond.toFixed(0)} req/s, p50 ` +
            `${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms${result.errors ? `, ${result.errors} errors` : ""}`,
        );
      }
    }
    const health = merge(results.health);
    const serving = merge(results.serving);
    const revalidated = await runLoad({
      ...targets.serving,
      headers: { ...targets.serving.headers, "if-none-match": check.headers.get("etag")! },
      connections,
      durationMs: 3_000,
      warmupMs: 500,
      expectStatus: 304,
    });
    const client = await clientLookups(base, apiKey);
    console.log(`(g) load average after ${loadAverage()}`);
    const summary = (m: ReturnType<typeof merge>) =>
      `${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${cpuNote(m)}`;
    console.log(`(g) /api/health: ${summary(health)}; serving GET: ${summary(serving)}`);
    console.log(
      `(g) serving GET with a matching If-None-Match (304): ${revalidated.requestsPerSecond.toFixed(0)} req/s, ` +
        `p99 ${revalidated.p99.toFixed(2)} ms`,
    );
    const ratio = serving.rps / health.rps;
    row(
      "g",
      `serving GET req/s vs /api/health (${connections} connections, ${rounds}×${seconds} s each)`,
      `${(ratio * 100).toFixed(1)}% (${serving.rps.toFixed(0)} vs ${health.rps.toFixed(0)} req/s)`,
      "≥ 80%",
      ratio >= 0.8 && serving.errors === 0 && health.errors === 0,
    );
    row(
      "g",
      "serving GET p99 vs /api/health p99",
      `${(serving.p99 / health.p99).toFixed(2)}× (${serving.p99.toFixed(2)} vs ${health.p99.toFixed(2)} ms)`,
      "≤ 2×",
      serving.p99 <= 2 * health.p99,
    );
    row(
      "g",
      "client cached lookups per second",
      `${Math.round(client.perSecond).toLocaleString("en-US")}/s (${client.lookups.toLocaleString("en-US")} lookups)`,
      "≥ 20,000/s",
      client.perSecond >= 20_000,
    );
  } finally {
    if (server) await stopApp(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  console.log(`Strop serving benchmark — load average ${loadAverage()}`);
  await scenarioG({
    skipBuild: args.includes("--skip-build"),
    seconds: value("--seconds"),
    rounds: value("--rounds"),
    connections: value("--connections"),
  });
}
