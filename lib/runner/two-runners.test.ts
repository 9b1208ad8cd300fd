// Two app processes on one database (SQLite, then PostgreSQL), each doing what the app does with the
// embedded runner (./testing/worker.ts: resume at start, then take over jobs whose lease expired), for
// both kinds of job. Started together, they never execute a job twice: the loopback fake server receives
// each of a run's calls once (as many as its report counts) and each batch row once. And when the
// process holding a job's lease is killed with SIGKILL, the other one takes the job over once the lease
// expired and finishes it without paying again for what had finished.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countCheckpoints,
  type Db,
  getBatchRecord,
  getJobLease,
  getRun,
  iterateBatchRows,
  openDb,
} from "@/lib/db";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@/lib/db/test-databases";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { counts, startWorker as startWorkerProcess, until, type Worker } from "./testing/crash-helpers";
import { echoRequestTexts, echoResponder, queueEchoBatch, queueIntentRun } from "./testing/job-fixtures";

const RUN_MODEL = "sim-default";
const ROWS = 200;
const CHUNK = 20;
let server: FakeServer;
const children: ChildProcess[] = [];
const databases: { db: Db; t: TestDatabase }[] = [];

beforeAll(async () => {
  // A little latency per call, so that the jobs take a few seconds and a kill lands mid-way.
  server = await startFakeOpenAIServer({ latencyMs: 15, respond: echoResponder });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await server.close();
  for (const { db, t } of databases) {
    await db.$disconnect();
    await t.drop();
  }
});

async function freshDb(provider: (typeof TEST_PROVIDERS)[number]) {
  const t = await createTestDatabase(provider);
  const db = await openDb(t.url);
  databases.push({ db, t });
  return { db, url: t.url };
}

const startWorker = (url: string) =>
  startWorkerProcess(url, { OPENAI_COMPATIBLE_BASE_URL: server.baseURL }, children);

/** The run model's requests (and when they arrived), between two positions in the server's log. */
const runRequests = (from: number, to = server.requests.length) =>
  server.requests
    .slice(from, to)
    .filter((r) => r.path === "/v1/chat/completions" && (r.body as { model: string }).model === RUN_MODEL);

const queueRun = (db: Db) =>
  queueIntentRun(db, {
    rows: 60,
    model: `openai-compatible:${RUN_MODEL}`,
    overrides: { stop: { maxIterations: 1, patience: 1 } },
  });

async function reportedCalls(db: Db, runId: string): Promise<number> {
  const run = await getRun(db, runId);
  expect(run?.status, run?.error ?? "").toBe("succeeded");
  if (run?.report?.kind !== "optimize") throw new Error(`run ${runId} has no optimization report`);
  return run.report.usage.calls;
}

async function doneRowNumbers(db: Db, batchId: string): Promise<number[]> {
  const done: number[] = [];
  for await (const row of iterateBatchRows(db, batchId))
    if (row.status !== "pending") done.push(row.rowNumber);
  return done;
}

/** The worker whose process holds the lease of a job (the holder id carries its pid). */
async function leaseHolder(db: Db, workers: Worker[], kind: string, jobId: string): Promise<Worker> {
  const lease = await getJobLease(db, { kind, jobId });
  const pid = Number(lease?.holder.split(":")[1]);
  const holder = workers.find((w) => w.child.pid === pid);
  if (!holder) throw new Error(`no worker holds ${kind} ${jobId} (lease: ${JSON.stringify(lease)})`);
  return holder;
}

const rowText = (n: number) => `Item: row ${n}`;

describe.each(TEST_PROVIDERS)("two app processes on one %s database", (provider) => {
  it("started together, they never execute a job twice: each call reaches the provider once", async () => {
    const { db, url } = await freshDb(provider);
    const runId = await queueRun(db);
    const batch = await queueEchoBatch(db, { rows: ROWS, chunkSize: CHUNK });
    const from = server.requests.length;
    const workers = [startWorker(url), startWorker(url)];
    for (const exit of await Promise.all(workers.map((w) => w.exited)))
      expect(exit.code, exit.output).toBe(0);

    // The run: exactly the calls its report counts (a second execution would have made its steps' calls again).
    expect(runRequests(from).length).toBe(await reportedCalls(db, runId));
    // The batch: every row requested exactly once.
    const rows = Array.from({ length: ROWS }, (_, i) => rowText(i + 1));
    expect(counts(echoRequestTexts(server.requests, from))).toEqual(counts(rows));
    expect(await getBatchRecord(db, batch.id)).toMatchObject({
      status: "succeeded",
      doneRows: ROWS,
      calls: ROWS,
    });
    // Both leases were given back.
    expect(await getJobLease(db, { kind: "optimization-run", jobId: runId })).toBeNull();
    expect(await getJobLease(db, { kind: "batch", jobId: batch.id })).toBeNull();
  }, 180_000);

  it("SIGKILL of a run's lease holder: the other process finishes the run, no finished step paid twice", async () => {
    const { db, url } = await freshDb(provider);
    const runId = await queueRun(db);
    const from = server.requests.length;
    const workers = [startWorker(url), startWorker(url)];
    await until(async () => (await countCheckpoints(db, runId)) >= 6);
    const holder = await leaseHolder(db, workers, "optimization-run", runId);
    holder.child.kill("SIGKILL");
    expect((await holder.exited).signal).toBe("SIGKILL");
    const atKill = server.requests.length;
    const finished = await db.stepCheckpoint.findMany({ where: { runId }, select: { createdAt: true } });
    const lastFinishedAt = Math.max(...finished.map((c) => c.createdAt.getTime()));

    const survivor = workers.find((w) => w !== holder) as Worker;
    const exit = await survivor.exited;
    expect(exit.code, exit.output).toBe(0);
    const calls = await reportedCalls(db, runId);

    // Steps run one after another: every call of a step finished before the kill arrived before its
    // checkpoint. None of them was made again by the survivor…
    const beforeKill = runRequests(from, atKill);
    const afterKill = runRequests(atKill);
    const finishedBodies = new Set(
      beforeKill.filter((r) => r.receivedAt <= lastFinishedAt).map((r) => JSON.stringify(r.body)),
    );
    expect(finishedBodies.size).toBeGreaterThan(0);
    expect(afterKill.filter((r) => finishedBodies.has(JSON.stringify(r.body)))).toEqual([]);
    // …and all calls together exceed the reported ones by at most the step in flight at the kill.
    const inFlightAtKill = beforeKill.filter((r) => r.receivedAt > lastFinishedAt).length;
    expect(afterKill.length).toBeGreaterThan(0);
    expect(beforeKill.length + afterKill.length - calls).toBeLessThanOrEqual(inFlightAtKill);
  }, 180_000);

  it("SIGKILL of a batch's lease holder: the other process finishes the batch, no finished row paid twice", async () => {
    const { db, url } = await freshDb(provider);
    const batch = await queueEchoBatch(db, { rows: ROWS, chunkSize: CHUNK });
    const workers = [startWorker(url), startWorker(url)];
    await until(async () => ((await getBatchRecord(db, batch.id))?.doneRows ?? 0) >= 2 * CHUNK);
    const holder = await leaseHolder(db, workers, "batch", batch.id);
    holder.child.kill("SIGKILL");
    expect((await holder.exited).signal).toBe("SIGKILL");
    // Calls the holder had sent just before it died may still be arriving.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const atKill = server.requests.length;
    const finished = await doneRowNumbers(db, batch.id);
    expect(finished.length).toBeLessThan(ROWS);

    const survivor = workers.find((w) => w !== holder) as Worker;
    const exit = await survivor.exited;
    expect(exit.code, exit.output).toBe(0);
    expect(await getBatchRecord(db, batch.id)).toMatchObject({ status: "succeeded", doneRows: ROWS });
    // No finished row requested again; every row pending at the kill exactly once.
    const pending = Array.from({ length: ROWS }, (_, i) => i + 1).filter((n) => !finished.includes(n));
    expect(counts(echoRequestTexts(server.requests, atKill))).toEqual(counts(pending.map(rowText)));
  }, 180_000);
});
