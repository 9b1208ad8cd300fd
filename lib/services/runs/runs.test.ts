// Runs from stored data: the checks before anything is queued, the embedded runner executing a run
// end to end, cancelling one mid-flight, and the error budget. Real SQLite files; provider calls go over
// real HTTP to the loopback fake OpenAI server (answering with the offline simulator).
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppError, InputError } from "@/lib/core/errors";
import type { OptimizationReport } from "@/lib/core/report";
import {
  countCheckpoints,
  type Db,
  findOrCreateDatasetVersion,
  getProjectDatasetVersion,
  getRun,
  listCheckpointIds,
  listExampleResults,
  openDb,
  upsertMetricConfig,
  upsertModelConfig,
} from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { embeddedRunner } from "@/lib/runner";
import { storeFakeServerCredential } from "../testing/credentials";
import { intentRunSpec, type SeededTask, seedIntentTask } from "../testing/run-fixtures";
import { cancelOptimizationRun, createOptimizationRun, resumeUnfinishedRuns } from "./index";

const opened: Db[] = [];
async function freshDb(): Promise<Db> {
  const db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-runs-")), "strop.db")}`);
  opened.push(db);
  return db;
}

let server: FakeServer;
/** Model "wobbly" answers 500 to the first attempt of every fourth distinct request (then succeeds). */
const wobbled = new Set<string>();
const modelCalls = () => server.requests.filter((r) => r.path === "/v1/chat/completions").length;
const fnv = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0);

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    latencyMs: (call) => (call.model === "slow" ? 40 : 0),
    respond: (call) => {
      if (call.model === "down") return { status: 400, body: { error: { message: "model is down" } } };
      const last = call.messages.at(-1)?.content ?? "";
      if (call.model === "wobbly" && fnv(last) % 4 === 0 && !wobbled.has(last)) {
        wobbled.add(last);
        return { status: 500, body: { error: { message: "try again" } } };
      }
      // About one task call in ten fails, always the same ones.
      if (call.model === "flaky" && !last.includes("<brief>") && fnv(last) % 10 === 0)
        return { status: 400, body: { error: { message: "flaky provider" } } };
      return undefined;
    },
  });
});

afterAll(async () => {
  await embeddedRunner().idle();
  await server.close();
  await Promise.all(opened.map((db) => db.$disconnect()));
});

/** A model of the fake server: the project's default OpenAI-compatible credential points there. */
const model = (name: string) => ({ id: `openai-compatible:${name}`, concurrency: 4 });

/** Waits for the embedded run `id` to finish (it runs in this process). */
async function settled(id: string) {
  await embeddedRunner().running(id);
  await embeddedRunner().idle();
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("createOptimizationRun checks everything before queueing", () => {
  let db: Db;
  let seeded: SeededTask;
  beforeAll(async () => {
    db = await freshDb();
    seeded = await seedIntentTask(db, { rows: 40 });
  });

  const rejects = async (spec: Parameters<typeof createOptimizationRun>[2], field: string, text: string) => {
    const error = await createOptimizationRun(db, seeded.projectId, spec, {
      runner: "embedded",
      env: {},
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(field);
    expect((error as InputError).message).toContain(text);
    expect(await db.optimizationRun.count()).toBe(0);
  };

  it.each([
    ["an unknown task", { task: "nope" }, "task", 'no task named (or with id) "nope"'],
    ["a missing prompt version", { promptVersion: 9 }, "promptVersion", "no prompt version 9"],
    [
      "an unknown dataset version",
      { datasetVersionId: "nope" },
      "datasetVersionId",
      'no dataset version "nope"',
    ],
    [
      "an unknown provider",
      { models: { task: "foo:bar", optimizer: "sim:default" } },
      "models.task",
      'Unknown provider "foo"',
    ],
    [
      "an unknown simulator model",
      { models: { task: "sim:nope", optimizer: "sim:default" } },
      "models.task",
      'Unknown simulator model "sim:nope"; known simulator models: sim:default',
    ],
    [
      "an unknown simulator model in an inline configuration",
      { models: { task: "sim:default", optimizer: { id: "sim:nope" } } },
      "models.optimizer",
      "known simulator models: sim:default",
    ],
    [
      "an unknown model configuration",
      { models: { task: "fast", optimizer: "sim:default" } },
      "models.task",
      'no model configuration named "fast"',
    ],
    [
      "a missing credential for the chosen provider",
      { models: { task: "sim:default", optimizer: "openai:gpt-4o-mini" } },
      "models.optimizer",
      "OPENAI_API_KEY",
    ],
    [
      "an endpoint chosen by the spec (it would carry the project's key there)",
      {
        models: {
          task: { id: "openai:gpt-4o-mini", baseURL: "http://127.0.0.1:9/v1" },
          optimizer: "sim:default",
        },
      },
      "models.task.baseURL",
      "does not choose an endpoint",
    ],
    [
      "a server environment variable as the key",
      {
        models: {
          task: "sim:default",
          optimizer: { id: "openai-compatible:x", apiKeyEnv: "NEXTAUTH_SECRET" },
        },
      },
      "models.optimizer.apiKeyEnv",
      "does not choose an endpoint or an environment variable",
    ],
    [
      "a credential that does not exist",
      { models: { task: { id: "openai:gpt-4o-mini", credential: "nope" }, optimizer: "sim:default" } },
      "models.task.credential",
      'no usable credential named "nope"',
    ],
    ["an unknown metric", { metrics: ["accuracy"] }, "metrics.0", 'no registered metric "accuracy"'],
    ["bad metric options", { metrics: [{ name: "regex", options: { pattern: "(" } }] }, "metrics", "pattern"],
    ["an unknown strategy", { optimizer: { strategy: "magic" } }, "optimizer.strategy", "magic"],
    ["an unknown field", { tempo: 1 }, "(top level)", '"tempo"'],
    ["splits that leave no training data", { splits: { validation: 0.5, test: 0.45 } }, "splits", "10%"],
  ])("%s", async (_, override, field, text) => {
    await rejects({ ...intentRunSpec(seeded, "sim:default"), ...override } as never, field, text);
  });

  it("a dataset version whose examples lack the template's variables", async () => {
    const { datasetVersion } = await findOrCreateDatasetVersion(db, seeded.projectId, {
      name: "wrong-columns.csv",
      sourceName: "wrong-columns.csv",
      expectedColumn: "intent",
      columns: ["text", "intent"],
      contentHash: "wrong-columns",
      examples: [
        {
          key: "a",
          rowNumber: 1,
          input: { text: "my card was charged twice" },
          expected: "billing_question",
        },
      ],
    });
    await rejects(
      { ...intentRunSpec(seeded, "sim:default"), datasetVersionId: datasetVersion.id },
      "datasetVersionId",
      'row 1 (id "a"): template variable "ticket" is missing or empty',
    );
  });

  it("without a reachable Inngest, the run is marked failed and the caller gets a 503", async () => {
    const error = await createOptimizationRun(db, seeded.projectId, intentRunSpec(seeded, "sim:default"), {
      runner: "inngest",
    }).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(error).toMatchObject({ code: "runner_unavailable", status: 503 });
    const runId = (error?.details as { runId: string } | undefined)?.runId ?? "";
    const run = await getRun(db, runId);
    expect(run?.status).toBe("failed");
    expect(run?.error).toContain("could not hand the run to inngest");
    await db.optimizationRun.delete({ where: { id: runId } });
  });

  it("splits as the dataset version does (fractions and seed), unless the spec says otherwise", async () => {
    const dataset = await getProjectDatasetVersion(db, seeded.projectId, seeded.datasetVersionId);
    const queue = { runner: "embedded" as const, dispatch: async () => {} };
    const { splits: _omitted, ...spec } = intentRunSpec(seeded, "sim:default");
    const plain = await createOptimizationRun(db, seeded.projectId, spec, queue);
    expect((await getRun(db, plain.id))?.config.splits).toEqual(dataset?.splits);
    const own = await createOptimizationRun(db, seeded.projectId, { ...spec, splits: { test: 0.3 } }, queue);
    expect((await getRun(db, own.id))?.config.splits).toEqual({ ...dataset?.splits, test: 0.3 });
    await db.optimizationRun.deleteMany({ where: { id: { in: [plain.id, own.id] } } });
  });

  it("resolves model and metric configurations by name and stores the resolved config", async () => {
    await upsertModelConfig(db, seeded.projectId, { name: "fast", modelId: "sim:default", concurrency: 3 });
    await upsertMetricConfig(db, seeded.projectId, { name: "exact", metric: "exact_match", weight: 2 });
    const created = await createOptimizationRun(
      db,
      seeded.projectId,
      {
        ...intentRunSpec(seeded, "sim:default"),
        models: { task: "fast", optimizer: "sim:default" },
        metrics: ["exact"],
      },
      { runner: "embedded" },
    );
    await settled(created.id);
    const run = await getRun(db, created.id);
    expect(run?.status).toBe("succeeded");
    expect(run?.config).toMatchObject({
      origin: "api",
      models: { task: { id: "sim:default", concurrency: 3 }, optimizer: { id: "sim:default" } },
      metrics: [{ name: "exact_match", weight: 2 }],
      errorBudget: { maxFailedFraction: 0.2, minCalls: 20 },
    });
  }, 60_000);
});

describe("the embedded runner", () => {
  let db: Db;
  let seeded: SeededTask;
  beforeAll(async () => {
    db = await freshDb();
    seeded = await seedIntentTask(db, { rows: 60 });
    await storeFakeServerCredential(db, seeded.projectId, server.baseURL);
  });

  it("queues, runs and records a run: progress, iterations, results, the winner", async () => {
    const created = await createOptimizationRun(db, seeded.projectId, intentRunSpec(seeded, "sim:default"), {
      runner: "embedded",
    });
    expect(created.runner).toBe("embedded");
    expect((await getRun(db, created.id))?.status).toMatch(/queued|running/);
    await settled(created.id);
    const run = await getRun(db, created.id);
    const report = run?.report as OptimizationReport;
    expect(run?.status).toBe("succeeded");
    expect(run?.calls).toBe(report.usage.calls);
    expect(run?.progress).toMatchObject({ calls: report.usage.calls, failedCalls: 0 });
    expect(run?.iterations.length).toBe(report.iterations.length);
    expect((await listExampleResults(db, created.id, { phase: "final/test/best" })).length).toBe(
      report.splits.test,
    );
    // A run started through the API leaves its winner for a user to save (POST …/runs/{run}/winner).
    expect(report.bestOrigin).not.toBeNull();
    expect(run?.bestVersionId).toBe(run?.baselineVersionId);
    expect(await db.promptVersion.count({ where: { runId: created.id } })).toBe(0);
    expect(await listCheckpointIds(db, created.id)).not.toContain("finish/save-winner");
  }, 60_000);

  it("counts the gateway's retries and stores the task model's latency percentiles when it finishes", async () => {
    wobbled.clear();
    const spec = {
      ...intentRunSpec(seeded, "x"),
      models: { task: model("wobbly"), optimizer: model("wobbly") },
      stop: { maxIterations: 1, patience: 1 },
    };
    const created = await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded" });
    expect((await getRun(db, created.id))?.latency).toBeNull();
    await settled(created.id);
    const run = await getRun(db, created.id);
    expect(run?.status).toBe("succeeded");
    expect(wobbled.size).toBeGreaterThan(0);
    expect(run?.retries).toBe(wobbled.size);
    const measured = (await listExampleResults(db, created.id)).filter((r) => !r.cached && !r.error);
    const latencies = measured.map((r) => r.latencyMs).sort((a, b) => a - b);
    expect(run?.latency).toEqual({
      count: measured.length,
      p50: latencies[Math.ceil(0.5 * latencies.length) - 1],
      p95: latencies[Math.ceil(0.95 * latencies.length) - 1],
      p99: latencies[Math.ceil(0.99 * latencies.length) - 1],
      max: latencies.at(-1),
    });
  }, 60_000);

  it("a cancelled run stops within seconds, makes no further provider calls, keeps what it finished", async () => {
    const spec = { ...intentRunSpec(seeded, "x"), models: { task: model("slow"), optimizer: model("slow") } };
    const created = await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded" });
    await until(async () => (await countCheckpoints(db, created.id)) >= 4);
    const cancelledAt = Date.now();
    expect(await cancelOptimizationRun(db, created.id, { runner: "embedded" })).toEqual({
      id: created.id,
      status: "cancelled",
    });
    await embeddedRunner().running(created.id);
    expect(Date.now() - cancelledAt).toBeLessThan(3_000);
    // Calls sent before the cancel may still be arriving; after that, nothing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const callsAfterCancel = modelCalls();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(modelCalls()).toBe(callsAfterCancel);

    const run = await getRun(db, created.id);
    expect(run?.status).toBe("cancelled");
    expect(run?.finishedAt).not.toBeNull();
    expect(run?.error).toBeNull();
    expect(run?.progress).not.toBeNull();
    expect((await listExampleResults(db, created.id)).length).toBeGreaterThan(0);
    expect(await countCheckpoints(db, created.id)).toBeGreaterThanOrEqual(4);
    // Cancelling again is a no-op; a cancelled run is not resumed.
    expect((await cancelOptimizationRun(db, created.id, { runner: "embedded" })).status).toBe("cancelled");
    expect((await resumeUnfinishedRuns(db, { runner: "embedded" })).resumed).not.toContain(created.id);
  }, 60_000);

  it("runs from the same spec and seed give the same report", async () => {
    const spec = intentRunSpec(seeded, "sim:default");
    const [a, b] = [
      await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded" }),
      await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded" }),
    ];
    await Promise.all([settled(a.id), settled(b.id)]);
    const report = async (id: string) => ({
      ...((await getRun(db, id))?.report as OptimizationReport),
      elapsedMs: 0,
    });
    expect(await report(b.id)).toEqual(await report(a.id));
  }, 60_000);
});

describe("the error budget", () => {
  let db: Db;
  let seeded: SeededTask;
  beforeAll(async () => {
    db = await freshDb();
    seeded = await seedIntentTask(db, { rows: 60 });
    await storeFakeServerCredential(db, seeded.projectId, server.baseURL);
  });

  it("failed calls fail their examples (recorded and counted) while the budget holds", async () => {
    const spec = { ...intentRunSpec(seeded, "x"), models: { task: model("flaky"), optimizer: model("ok") } };
    const created = await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded" });
    await settled(created.id);
    const run = await getRun(db, created.id);
    const report = run?.report as OptimizationReport;
    expect(run?.status).toBe("succeeded");
    expect(report.usage.failedCalls).toBeGreaterThan(0);
    expect(report.usage.failedCalls / report.usage.calls).toBeLessThan(0.2);
    expect(run?.progress).toMatchObject({ failedCalls: report.usage.failedCalls });
    const failed = (await listExampleResults(db, created.id)).filter((r) => r.error !== null);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.error).toContain("flaky provider");
    expect(failed.every((r) => r.score === 0 && r.output === null)).toBe(true);
  }, 60_000);

  it("a provider that keeps failing fails the run once the budget is spent, naming the step", async () => {
    const spec = { ...intentRunSpec(seeded, "x"), models: { task: model("down"), optimizer: model("ok") } };
    const created = await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded" });
    await settled(created.id);
    const run = await getRun(db, created.id);
    expect(run?.status).toBe("failed");
    expect(run?.error).toMatch(
      /^error budget exceeded: 20 of 20 provider calls failed \(100% > 20% allowed\)/,
    );
    expect(run?.error).toContain("model is down");
    expect(run?.failedStep).toBe("iter-1/primary-inference/batch-0");
    expect(run?.finishedAt).not.toBeNull();
  }, 60_000);
});
