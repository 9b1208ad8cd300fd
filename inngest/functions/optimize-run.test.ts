// The Inngest function, run in-process by @inngest/test's engine (it replays the handler over memoized
// step state, as the Inngest server does; retries and flow control are not simulated, so the registered
// configuration is asserted instead). Real SQLite; provider calls over HTTP to the loopback fake server.

import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InngestTestEngine, mockCtx } from "@inngest/test";
import { Inngest, NonRetriableError } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OptimizationReport } from "@/lib/core/report";
import { type Db, getRun, listCheckpointIds, markRunCancelled, openDb } from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { createDbStepRunner } from "@/lib/runner/db-step-runner";
import { optimizationRunJob } from "@/lib/services/jobs";
import { executeRun } from "@/lib/services/run-execution";
import { createOptimizationRun } from "@/lib/services/runs";
import { storeFakeServerCredential } from "@/lib/services/testing/credentials";
import { intentRunSpec, type SeededTask, seedIntentTask } from "@/lib/services/testing/run-fixtures";
import type { RunSpecInput } from "@/lib/validation/runs";
import { functionOf, functions } from ".";
import { createJobFunction, handleJobRequested, LIMITS_STEP, recordFunctionFailure } from "./job-function";

const optimizeRun = functionOf("optimize-run");

/**
 * With a task model that always fails: the step that spends the error budget. The training (16) and
 * validation (12) batches run as pipelined steps, each counting only the calls finished before it began
 * (under minCalls: 20); the optimizer step is the first to count all 28 failed calls.
 */
const FAILING_STEP = "iter-1/optimizer";

/** Inngest keys step state by the SHA-1 of the step id. */
const hashed = (id: string) => createHash("sha1").update(id).digest("hex");

let server: FakeServer;
let db: Db;
let seeded: SeededTask;
const client = new Inngest({ id: "strop", isDev: true });
const modelCalls = () => server.requests.filter((r) => r.path === "/v1/chat/completions").length;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond: (call) =>
      call.model === "down" ? { status: 400, body: { error: { message: "model is down" } } } : undefined,
  });
  db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-inngest-")), "strop.db")}`);
  seeded = await seedIntentTask(db, { rows: 40 });
  await storeFakeServerCredential(db, seeded.projectId, server.baseURL);
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
});

function spec(taskModel = "sim-default"): RunSpecInput {
  // The fake server, through the project's default OpenAI-compatible credential.
  const model = (name: string) => ({ id: `openai-compatible:${name}`, concurrency: 4 });
  return {
    ...intentRunSpec(seeded, "x"),
    models: { task: model(taskModel), optimizer: model("sim-default") },
    optimizer: { strategy: "critique-rewrite", candidates: 1, failures: 8 },
    stop: { maxIterations: 1, patience: 1 },
  };
}

/** A stored, queued run and the event that asks for it. */
async function queuedRun(runSpec = spec()) {
  const { id } = await createOptimizationRun(db, seeded.projectId, runSpec, { dispatch: async () => {} });
  const event = {
    name: "strop/run.requested",
    data: { runId: id, projectId: seeded.projectId, provider: "openai-compatible" },
  };
  return { id, events: [event] as [typeof event] };
}

const engine = (
  events: [{ name: string; data: Record<string, unknown> }],
  transformCtx?: InngestTestEngine.Options["transformCtx"],
) =>
  new InngestTestEngine({
    function: createJobFunction(client, optimizationRunJob, { db: async () => db }),
    events,
    ...(transformCtx ? { transformCtx } : {}),
  });

describe("the registered function", () => {
  it("carries the flow control: concurrency per project and provider, throttle, retries, cancelOn", () => {
    const [config] = (
      optimizeRun as unknown as {
        getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[];
      }
    ).getConfig({ baseUrl: new URL("http://localhost:3000/api/inngest"), appPrefix: "strop" });
    expect(config).toMatchObject({
      id: "strop-optimize-run",
      name: "Optimization run",
      triggers: [{ event: "strop/run.requested" }],
      concurrency: [
        { key: "event.data.projectId", limit: 2 },
        { key: "event.data.provider", limit: 4 },
      ],
      throttle: { key: "event.data.provider", limit: 10, period: "1m", burst: 2 },
      steps: { step: { retries: { attempts: 4 } } },
      cancel: [{ event: "strop/run.cancel", if: "event.data.runId == async.data.runId" }],
    });
    expect(functions).toContain(optimizeRun);
  });

  it("takes its limits from the environment", () => {
    const fn = createJobFunction(client, optimizationRunJob, {
      env: { STROP_INNGEST_PROJECT_CONCURRENCY: "5", STROP_INNGEST_PROVIDER_CONCURRENCY: "16" },
    });
    const [config] = (
      fn as unknown as { getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }
    ).getConfig({ baseUrl: new URL("http://localhost:3000/api/inngest"), appPrefix: "strop" });
    expect(config?.concurrency).toEqual([
      { key: "event.data.projectId", limit: 5 },
      { key: "event.data.provider", limit: 16 },
    ]);
  });
});

describe("executing a run through Inngest steps", () => {
  it("runs the workflow as memoized steps with the workflow's own ids; no step body runs twice", async () => {
    const { id, events } = await queuedRun();
    const callsBefore = modelCalls();
    const { result, ctx, state } = await engine(events).execute();
    const run = await getRun(db, id);
    const report = run?.report as OptimizationReport;
    expect(run?.status).toBe("succeeded");
    // Runs started through the API do not save their winner themselves (a user does).
    expect(result).toEqual({ runId: id, status: "succeeded", savedVersion: null });
    // The engine replayed the handler once per step; each provider call was still made exactly once.
    expect(modelCalls() - callsBefore).toBe(report.usage.calls);
    // Inngest memoizes the steps (after the engine's check of the run's size); the checkpoint table holds
    // them too, for a resume as a new function run. Batch steps are pipelined: compared as sets.
    const ran = ctx.step.run.mock.calls.map((call) => call[0]);
    expect(ran[0]).toBe(LIMITS_STEP);
    const workflowSteps = ran.slice(1);
    expect(new Set(workflowSteps).size).toBe(workflowSteps.length);
    expect(new Set(await listCheckpointIds(db, id))).toEqual(new Set(workflowSteps));

    // The same run with the database step runner: the same steps, the same report.
    const { id: embeddedId } = await createOptimizationRun(db, seeded.projectId, spec(), {
      dispatch: async () => {},
    });
    const embedded = await executeRun(db, embeddedId, createDbStepRunner(db, embeddedId));
    const stepIds = await listCheckpointIds(db, embeddedId);
    expect(stepIds.length).toBeGreaterThan(10);
    expect(stepIds).toContain("iter-1/primary-inference/batch-0");
    expect(stepIds).toContain("iter-1/optimizer");
    expect(new Set(workflowSteps)).toEqual(new Set(stepIds));
    expect(Object.keys(state).sort()).toEqual([LIMITS_STEP, ...stepIds].map(hashed).sort());
    expect({ ...report, elapsedMs: 0 }).toEqual({ ...(embedded.report as OptimizationReport), elapsedMs: 0 });
  }, 120_000);

  it("a step whose body throws fails with its step id and is left to Inngest's retries", async () => {
    const { id, events } = await queuedRun(spec("down"));
    const { error } = await engine(events).execute();
    // 28 task-model calls failed, then the optimizer's one call: the optimizer step spends the budget.
    expect((error as Error).message).toMatch(/^error budget exceeded: 28 of 29 provider calls failed/);
    // The failing step, by its id, is one Inngest retries (not a NonRetriableError).
    const failed = await engine(events).executeStep(FAILING_STEP);
    expect(failed.step).toMatchObject({ id: hashed(FAILING_STEP), displayName: FAILING_STEP });
    expect(failed.error).toMatchObject({ name: "ErrorBudgetExceeded" });
    // Not final yet: Inngest retries the step with backoff (the engine does not model retries).
    expect((await getRun(db, id))?.status).toBe("running");
  }, 60_000);

  it("when the retries are spent, the run is failed with the error and the failed step recorded", async () => {
    const { id } = await queuedRun(spec("down"));
    // Inngest's step tools once a step has no retries left: the step's error is thrown into the handler.
    const memo = new Map<string, unknown>();
    const step = {
      async run(stepId: string, fn: () => Promise<unknown>) {
        if (!memo.has(stepId)) memo.set(stepId, await fn());
        return memo.get(stepId);
      },
      async sleep() {},
    };
    const failure = await handleJobRequested(optimizationRunJob, id, step, db).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetriableError);
    expect((failure as Error).message).toContain(
      `run ${id} failed at step ${FAILING_STEP}: error budget exceeded`,
    );
    const run = await getRun(db, id);
    expect(run?.status).toBe("failed");
    expect(run?.failedStep).toBe(FAILING_STEP);
    expect(run?.error).toContain("model is down");
  }, 60_000);

  it("a cancelled run stops at its next step without retries, and one cancelled before it starts never runs", async () => {
    const { id, events } = await queuedRun();
    // The cancel lands while the run is between steps (the cancelled status in the database is what an
    // app without the Inngest cancel event also relies on).
    let callsAtCancel = -1;
    const { result: cancelledResult } = await engine(events, (raw) => {
      const ctx = mockCtx(raw) as unknown as { step: { run: (id: string, fn: () => unknown) => unknown } };
      const run = ctx.step.run;
      ctx.step.run = async (stepId: string, fn: () => unknown) => {
        if (stepId === "iter-1/optimizer" && callsAtCancel < 0) {
          await markRunCancelled(db, id);
          callsAtCancel = modelCalls();
        }
        return run(stepId, fn);
      };
      return ctx as never;
    }).execute();
    // The next invocation finds the run cancelled before its next step: the function run ends (nothing
    // to retry) and no step after the cancel calls the provider.
    expect(cancelledResult).toEqual({ runId: id, status: "cancelled", savedVersion: null });
    expect(callsAtCancel).toBeGreaterThan(0);
    expect(modelCalls()).toBe(callsAtCancel);
    const run = await getRun(db, id);
    expect(run?.status).toBe("cancelled");
    expect(run?.iterations).toEqual([]);

    const early = await queuedRun();
    await markRunCancelled(db, early.id);
    const callsBefore = modelCalls();
    const { result } = await engine(early.events).execute();
    expect(result).toEqual({ runId: early.id, status: "cancelled", savedVersion: null });
    expect(modelCalls()).toBe(callsBefore);
  }, 60_000);
});

describe("a function run that failed outside the job's bookkeeping", () => {
  it("marks the job failed (resumable), without the error's text; a finished job stays as it is", async () => {
    const { id } = await queuedRun();
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await recordFunctionFailure(
      optimizationRunJob,
      db,
      id,
      Object.assign(new Error("Invalid `prisma.run.update()` invocation: connection refused"), {
        name: "PrismaClientKnownRequestError",
      }),
    );
    const failed = await getRun(db, id);
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toBe(
      "the Inngest function of this run failed (PrismaClientKnownRequestError): see its run in Inngest, then resume the run",
    );
    await recordFunctionFailure(optimizationRunJob, db, id, new Error("again"));
    expect((await getRun(db, id))?.error).toBe(failed?.error);
    log.mockRestore();
    // The registered function has the handler.
    expect(createJobFunction(client, optimizationRunJob)).toBeTruthy();
  });
});
