// The embedded runner survives a crash: a worker process (doing what the app does at start) runs a
// stored run against the loopback fake OpenAI server and is killed with SIGKILL mid-run; a new worker
// resumes it. The run finishes with the report of an uninterrupted run with the same seed, and no step
// that had finished before the kill calls the provider again. Also: a cancel from another process stops
// a run executing in a worker.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StepRunner } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import { countCheckpoints, type Db, getRun, listCheckpointIds, listExampleResults, openDb } from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { type OptimizerName, optimizerNames } from "@/lib/optimizers/registry";
import { createDbStepRunner } from "@/lib/runner/db-step-runner";
import { executeRun } from "@/lib/services/run-execution";
import { cancelOptimizationRun, createOptimizationRun } from "@/lib/services/runs";
import { intentRunSpec, seedIntentTask } from "@/lib/services/testing/run-fixtures";
import { counts, startupResume, startWorker as startWorkerProcess, until } from "./testing/crash-helpers";

const MODEL = "openai-compatible:sim-default";
let server: FakeServer;
const opened: Db[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  // A little latency per call, so that a run takes a few seconds and the kill lands mid-run.
  server = await startFakeOpenAIServer({ latencyMs: 15 });
  // The in-process reference run reaches the same server the same way the workers do.
  process.env.OPENAI_COMPATIBLE_BASE_URL = server.baseURL;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await server.close();
  await Promise.all(opened.map((db) => db.$disconnect()));
});

async function freshDb() {
  const url = `file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-crash-")), "strop.db")}`;
  const db = await openDb(url);
  opened.push(db);
  return { db, url };
}

/** A worker process: resumes the database's unfinished runs, exits when they are done. */
function startWorker(databaseUrl: string) {
  return startWorkerProcess(databaseUrl, { OPENAI_COMPATIBLE_BASE_URL: server.baseURL }, children);
}

const bodyOf = (request: { body: unknown }) => JSON.stringify(request.body);
const modelRequests = (from = 0, to = server.requests.length) =>
  server.requests.slice(from, to).filter((r) => r.path === "/v1/chat/completions");

/**
 * Records which provider calls each step's body made. The workflow keeps up to DEFAULT_WINDOW batch steps in flight;
 * here their bodies take turns, so that the calls arriving during a body are its own. Which calls a step
 * makes does not depend on how the steps overlap (results are taken in batch order).
 */
function recordingSteps(inner: StepRunner, calls: Map<string, string[]>): StepRunner {
  let turn = Promise.resolve();
  return {
    run: (id, fn) =>
      inner.run(id, () => {
        const body = turn.then(async () => {
          const from = server.requests.length;
          const value = await fn();
          calls.set(id, modelRequests(from).map(bodyOf));
          return value;
        });
        turn = body.then(
          () => {},
          () => {},
        );
        return body;
      }),
    sleep: (id, ms) => inner.sleep(id, ms),
  };
}

/**
 * Every registered strategy, each on a small dataset with small options so the suite stays short; the
 * default strategy keeps the larger run it was first proven on.
 */
const STRATEGY_CASES: Record<OptimizerName, { rows: number; options?: Record<string, unknown> }> = {
  "critique-rewrite": { rows: 100 },
  "few-shot": { rows: 60, options: { demos: 2 } },
  gepa: { rows: 60, options: { paretoSize: 6, population: 4 } },
  mipro: { rows: 60, options: { bootstrapExamples: 8, demoSets: 2, demos: 2 } },
  opro: { rows: 60, options: { trajectory: 5 } },
  "successive-halving": { rows: 60, options: { pool: 4, firstRungExamples: 4, survivors: 2 } },
};

const runSpec = (seeded: Awaited<ReturnType<typeof seedIntentTask>>, strategy: OptimizerName) =>
  intentRunSpec(seeded, MODEL, {
    optimizer: { strategy, candidates: 2, failures: 8, options: STRATEGY_CASES[strategy].options },
  });

describe("crash and resume (embedded runner, SIGKILL)", () => {
  it.each(optimizerNames)(
    "%s: a killed run resumes where it stopped: same result, no finished step paid for twice",
    async (strategy) => {
      const { db, url } = await freshDb();
      const rows = STRATEGY_CASES[strategy].rows;
      const seeded = await seedIntentTask(db, { rows });
      const spec = runSpec(seeded, strategy);
      // Stored and queued; the worker picks it up as the app would at start.
      const { id } = await createOptimizationRun(db, seeded.projectId, spec, { dispatch: async () => {} });
      expect((await getRun(db, id))?.status).toBe("queued");

      const first = startWorker(url);
      await until(async () => (await countCheckpoints(db, id)) >= 12);
      first.child.kill("SIGKILL");
      const killed = await first.exited;
      expect(killed.signal).toBe("SIGKILL");
      // Calls the worker had sent just before it died may still be arriving.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const finishedBeforeKill = await listCheckpointIds(db, id);
      const requestsAtKill = server.requests.length;
      expect((await getRun(db, id))?.status).toBe("running");

      const second = startWorker(url);
      const resumed = await second.exited;
      expect(resumed.code, resumed.output).toBe(0);
      // Resumed at start, or (the killed worker's lease still valid) taken over once it expired.
      const atStart = startupResume(resumed.output, "optimization-run");
      expect([...atStart.resumed, ...atStart.heldElsewhere]).toEqual([id]);
      const afterKill = modelRequests(requestsAtKill).map(bodyOf);
      const requestsOfA = server.requests.length;
      const run = await getRun(db, id);
      expect(run?.status, run?.error ?? "").toBe("succeeded");

      // The same run, uninterrupted, in another database: which calls each step makes.
      const reference = await freshDb();
      const refSeeded = await seedIntentTask(reference.db, { rows });
      const refSpec = runSpec(refSeeded, strategy);
      const { id: refId } = await createOptimizationRun(reference.db, refSeeded.projectId, refSpec, {
        dispatch: async () => {},
      });
      const stepCalls = new Map<string, string[]>();
      const outcome = await executeRun(
        reference.db,
        refId,
        recordingSteps(createDbStepRunner(reference.db, refId), stepCalls),
      );
      expect(outcome.status).toBe("succeeded");
      expect(modelRequests(requestsOfA).length).toBe((outcome.report as OptimizationReport).usage.calls);

      // Same result as the uninterrupted run.
      const report = run?.report as OptimizationReport;
      expect({ ...report, elapsedMs: 0 }).toEqual({
        ...(outcome.report as OptimizationReport),
        elapsedMs: 0,
      });
      expect(new Set(await listCheckpointIds(db, id))).toEqual(
        new Set(await listCheckpointIds(reference.db, refId)),
      );
      expect(finishedBeforeKill.length).toBeLessThan(stepCalls.size);

      // No call of a step that had finished before the kill was made again after it…
      const finished = new Set(finishedBeforeKill);
      const finishedCalls = [...stepCalls]
        .filter(([step]) => finished.has(step))
        .flatMap(([, calls]) => calls);
      expect(finishedCalls.length).toBeGreaterThan(0);
      const repeated = counts(afterKill);
      expect(finishedCalls.filter((body) => repeated.has(body))).toEqual([]);
      // …and exactly the calls of the steps that had not finished were made after it.
      const unfinishedCalls = [...stepCalls]
        .filter(([step]) => !finished.has(step))
        .flatMap(([, calls]) => calls);
      expect(counts(afterKill)).toEqual(counts(unfinishedCalls));
    },
    180_000,
  );

  it("a cancel from another process stops a run executing in a worker within seconds", async () => {
    const { db, url } = await freshDb();
    const seeded = await seedIntentTask(db, { rows: 100 });
    const { id } = await createOptimizationRun(db, seeded.projectId, intentRunSpec(seeded, MODEL), {
      dispatch: async () => {},
    });
    const worker = startWorker(url);
    await until(async () => (await countCheckpoints(db, id)) >= 6);
    const cancelledAt = Date.now();
    // This process does not execute the run: only the cancelled status reaches the worker.
    await cancelOptimizationRun(db, id, { runner: "embedded" });
    const exit = await worker.exited;
    expect(exit.code, exit.output).toBe(0);
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    const requestsAtExit = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.requests.length).toBe(requestsAtExit);
    const run = await getRun(db, id);
    expect(run?.status).toBe("cancelled");
    expect((await listExampleResults(db, id)).length).toBeGreaterThan(0);
  }, 120_000);
});
