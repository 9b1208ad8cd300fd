// The built app as a process (no browser): each test starts its own `next start` from the e2e build
// (.next-e2e) on a fresh data directory.
//  - With INNGEST_DEV=1 the app's /api/inngest endpoint answers with its registered functions.
//  - Embedded runner crash: a run started through the API against the loopback fake OpenAI server is
//    killed with SIGKILL (the whole app process group) mid-run; the restarted app resumes it on start
//    (instrumentation.ts). The run's report equals an uninterrupted run with the same seed, and no call
//    of a step that had finished before the kill reaches the provider again.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { type FakeServer, startFakeOpenAIServer } from "../lib/llm/testing/fake-openai-server";
import { expect, test } from "./fixtures";

const root = path.resolve(import.meta.dirname, "..");
const MODEL = "openai-compatible:sim-default";
/**
 * The functions inngest/functions/index.ts registers: one per job kind (runs, batches, experiment
 * analyses, promotions) with its failure handler (Inngest serves each as a function of its own), and one
 * per schedule (experiment analyses, the negative-feedback check).
 */
const INNGEST_FUNCTIONS = 4 * 2 + 2;

test.describe.configure({ mode: "serial", timeout: 300_000 });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

interface App {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** SIGKILL to the app's whole process group: no shutdown hook runs. */
  kill: () => Promise<void>;
  stop: () => Promise<void>;
}

/** `next start` of the e2e build with its own environment (SQLite under dataDir). */
async function startApp(dataDir: string, extraEnv: Record<string, string>): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    STROP_DATA_DIR: dataDir,
    // The build e2e/server.mjs made (STROP_E2E_DIST_DIR, as there).
    STROP_NEXT_DIST_DIR: process.env.STROP_E2E_DIST_DIR || ".next-e2e",
    NEXTAUTH_URL: url,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extraEnv,
  };
  for (const name of ["DATABASE_URL", "REDIS_URL", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"])
    delete env[name];
  if (!("INNGEST_DEV" in extraEnv)) delete env.INNGEST_DEV;
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    { cwd: root, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const signalGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${output}`);
    const ready = await fetch(`${url}/api/v1/me`).then(
      (res) => res.status === 401,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await signalGroup("SIGKILL");
      throw new Error(`next start did not answer within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    process: child,
    output: () => output,
    kill: () => signalGroup("SIGKILL"),
    stop: () => signalGroup("SIGTERM"),
  };
}

async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 120_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const apps: App[] = [];
const dataDirs: string[] = [];
test.afterAll(async () => {
  await Promise.all(apps.map((app) => app.kill()));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "strop-app-process-"));
  dataDirs.push(dir);
  return dir;
}

test("with INNGEST_DEV=1 the built app's /api/inngest answers with its registered functions", async () => {
  const app = await startApp(freshDataDir(), { INNGEST_DEV: "1" });
  apps.push(app);
  const res = await fetch(`${app.url}/api/inngest`);
  expect(res.status, app.output()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ function_count: INNGEST_FUNCTIONS, mode: "dev" });
  await app.stop();
});

test.describe("embedded runner in the app process", () => {
  let fake: FakeServer;
  test.beforeAll(async () => {
    // A little latency per call, so that a run takes several seconds and the kill lands mid-run.
    fake = await startFakeOpenAIServer({ latencyMs: 15 });
  });
  test.afterAll(async () => {
    await fake.close();
  });

  test("SIGKILL mid-run: the restarted app finishes the run, same result, no finished step paid twice", async () => {
    const dataDir = freshDataDir();
    const seedOutput = execFileSync(
      process.execPath,
      ["--import", "tsx", path.join(root, "e2e/support/seed-app-data.ts"), MODEL],
      { cwd: root, env: { ...process.env, DATABASE_URL: `file:${path.join(dataDir, "strop.db")}` } },
    );
    const seed = JSON.parse(seedOutput.toString().trim().split("\n").at(-1) ?? "{}") as {
      project: string;
      key: string;
      spec: Record<string, unknown>;
    };
    const appEnv = { OPENAI_COMPATIBLE_BASE_URL: fake.baseURL, STROP_RUNNER: "embedded" };
    const headers = { Authorization: `Bearer ${seed.key}`, "Content-Type": "application/json" };
    const runsUrl = (app: App) => `${app.url}/api/v1/projects/${seed.project}/runs`;
    const startRun = async (app: App) => {
      // The polling below spends the key's per-minute API budget: a 429 names when to come back, as a
      // client would.
      let res = await fetch(runsUrl(app), { method: "POST", headers, body: JSON.stringify(seed.spec) });
      for (let attempt = 0; res.status === 429 && attempt < 30; attempt++) {
        const retryAfter = Number(res.headers.get("retry-after") ?? 1);
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, retryAfter) * 1000));
        res = await fetch(runsUrl(app), { method: "POST", headers, body: JSON.stringify(seed.spec) });
      }
      expect(res.status, await res.clone().text()).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    const finishedRun = (app: App, id: string) =>
      until(async () => {
        const res = await fetch(`${runsUrl(app)}/${id}`, { headers });
        const run = (await res.json()) as { status: string; report: unknown; error: string | null };
        if (run.status === "failed" || run.status === "cancelled")
          throw new Error(`run ${id} ${run.status}: ${run.error}\n${app.output()}`);
        return run.status === "succeeded" ? run : null;
      }, `run ${id} to succeed`);

    const db = new Database(path.join(dataDir, "strop.db"), { readonly: true, fileMustExist: true });
    const checkpoints = (runId: string) =>
      db.prepare('SELECT "stepId", "createdAt" FROM "StepCheckpoint" WHERE "runId" = ?').all(runId) as {
        stepId: string;
        createdAt: number | string;
      }[];
    const chatRequests = (from: number, to: number) =>
      fake.requests.slice(from, to).filter((r) => r.path === "/v1/chat/completions");

    let app = await startApp(dataDir, appEnv);
    apps.push(app);
    const id = await startRun(app);
    await until(() => checkpoints(id).length >= 12, "12 finished steps");
    await app.kill();
    const requestsAtKill = fake.requests.length;
    const finishedBeforeKill = checkpoints(id);
    const lastFinishedAt = Math.max(...finishedBeforeKill.map((c) => new Date(c.createdAt).getTime()));

    app = await startApp(dataDir, appEnv);
    apps.push(app);
    await until(() => app.output().includes("resuming 1 unfinished run"), "the resume message", 10_000);
    const resumed = await finishedRun(app, id);
    const afterKill = chatRequests(requestsAtKill, fake.requests.length);
    const beforeKill = chatRequests(0, requestsAtKill);
    expect(checkpoints(id).length).toBeGreaterThan(finishedBeforeKill.length);

    // The same spec again, uninterrupted (same seed, response cache off in the spec).
    const referenceFrom = fake.requests.length;
    const referenceId = await startRun(app);
    const reference = await finishedRun(app, referenceId);
    const referenceCalls = chatRequests(referenceFrom, fake.requests.length).length;
    db.close();
    await app.stop();

    const comparable = (report: unknown) => ({ ...(report as Record<string, unknown>), elapsedMs: 0 });
    expect(comparable(resumed.report)).toEqual(comparable(reference.report));

    // Steps run one after another, so every call of a step that had finished before the kill arrived
    // before that step's checkpoint was written. None of those calls was made again after the restart…
    const finishedStepBodies = new Set(
      beforeKill.filter((r) => r.receivedAt <= lastFinishedAt).map((r) => JSON.stringify(r.body)),
    );
    expect(finishedStepBodies.size).toBeGreaterThan(0);
    const repeated = afterKill.filter((r) => finishedStepBodies.has(JSON.stringify(r.body)));
    expect(repeated.length).toBe(0);
    // …and all the calls together exceed an uninterrupted run by at most the step in flight at the kill.
    const inFlightAtKill = beforeKill.filter((r) => r.receivedAt > lastFinishedAt).length;
    expect(beforeKill.length + afterKill.length - referenceCalls).toBeLessThanOrEqual(inFlightAtKill);
    expect(afterKill.length).toBeGreaterThan(0);
  });
});
