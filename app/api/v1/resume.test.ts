// Resuming runs and batches over the API, on both databases: a job the database stopped (failed with a
// plain message, no driver text) or a person cancelled goes back to the queue and the embedded runner
// continues it where it stopped — no step of a run and no row of a batch is paid for twice — audited;
// a queued, running or succeeded job is a 409 naming its status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectAccess } from "@/lib/auth/access";
import type { StepRunner } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import { findOrCreatePromptVersion, getBatchRecord, getRun, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { createDbStepRunner } from "@/lib/runner/db-step-runner";
import { embeddedRunner } from "@/lib/runner/index";
import { executeBatch, rowStateSteps } from "@/lib/services/batch-execution";
import { cancelBatch, createBatch } from "@/lib/services/batches";
import { executeRun } from "@/lib/services/run-execution";
import { cancelOptimizationRun, createOptimizationRun } from "@/lib/services/runs";
import { intentRunSpec, seedIntentTask } from "@/lib/services/testing/run-fixtures";
import * as batchResume from "./projects/[project]/batches/[batch]/resume/route";
import * as batch from "./projects/[project]/batches/[batch]/route";
import * as runResume from "./projects/[project]/runs/[run]/resume/route";
import * as run from "./projects/[project]/runs/[run]/route";

let server: FakeServer;
const ORM_TEXT = /prisma|Invalid `|invocation|SELECT |INSERT |57P01/i;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond: (call) =>
      call.model === "echo" ? { content: `out:${call.messages.at(-1)?.content ?? ""}` } : undefined,
  });
  process.env.OPENAI_COMPATIBLE_BASE_URL = server.baseURL;
});
afterAll(async () => {
  await server.close();
  delete process.env.OPENAI_COMPATIBLE_BASE_URL;
});

/** What Prisma throws when the database server ended the connection (its message names the query). */
function terminatedConnection(): Error {
  return Object.assign(
    new Error(
      "\nInvalid `prisma.stepCheckpoint.findUnique()` invocation:\n\n\nDatabase error. Code: `57P01`. Message: `terminating connection due to administrator command`",
    ),
    {
      name: "PrismaClientKnownRequestError",
      code: "P2039",
      clientVersion: "7.10.0",
      meta: {
        driverAdapterError: { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P01" } },
      },
    },
  );
}

/** Steps that work until step number `failAt` (0-based), where the database is gone for good. */
function databaseGoneAt(inner: StepRunner, failAt: number): StepRunner {
  let started = 0;
  return {
    run: (id, fn) => (started++ === failAt ? Promise.reject(terminatedConnection()) : inner.run(id, fn)),
    sleep: (id, ms) => inner.sleep(id, ms),
  };
}

const modelCalls = (from = 0) => server.requests.slice(from).filter((r) => r.path === "/v1/chat/completions");
const quickRetry = { attempts: 2, baseDelayMs: 1, onRetry: () => {} };

describe.each(TEST_PROVIDERS)("resuming jobs over the API on %s", (provider) => {
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = { bearer: w.keys.alphaEditor };
    viewer = { bearer: w.keys.alphaViewer };
  }, 60_000);
  afterAll(async () => {
    await embeddedRunner().idle();
    await w?.close();
  });

  const audits = (action: string, targetId: string) =>
    w.db.auditLog.findMany({ where: { action, targetId } });

  describe("runs", () => {
    let spec: ReturnType<typeof intentRunSpec>;
    beforeAll(async () => {
      const seeded = await seedIntentTask(w.db, { rows: 60, project: "alpha" });
      spec = intentRunSpec(seeded, "openai-compatible:sim-default");
    }, 60_000);

    const queuedRun = async () =>
      (await createOptimizationRun(w.db, w.projects.alpha.id, spec, { dispatch: async () => {} })).id;

    it("a run the database stopped resumes from its last finished step: no step paid for twice", async () => {
      const runId = await queuedRun();
      const from = server.requests.length;
      const failed = await executeRun(
        w.db,
        runId,
        databaseGoneAt(createDbStepRunner(w.db, runId), 8),
        undefined,
        {
          dbRetry: quickRetry,
        },
      );
      expect(failed.status).toBe("failed");
      const stored = await w.call(run.GET, { as: viewer, params: { project: "alpha", run: runId } });
      expect(stored.json).toMatchObject({
        status: "failed",
        error: "the database was unavailable; resume the run",
      });
      expect(stored.text).not.toMatch(ORM_TEXT);

      expect(
        (await w.call(runResume.POST, { as: viewer, params: { project: "alpha", run: runId } })).status,
      ).toBe(403);
      const resumed = await w.call(runResume.POST, { as: editor, params: { project: "alpha", run: runId } });
      expect(resumed.status, resumed.text).toBe(202);
      expect(resumed.json).toEqual({
        id: runId,
        status: "queued",
        runner: "embedded",
        resumedFrom: "failed",
      });
      expect(await audits("run.resumed", runId)).toEqual([
        expect.objectContaining({ before: { status: "failed" }, after: { status: "queued" } }),
      ]);
      await embeddedRunner().idle();
      const done = await getRun(w.db, runId);
      expect(done).toMatchObject({ status: "succeeded", error: null, failedStep: null });
      // Every provider call of the run, before and after the failure, was made once: as many as it counted.
      expect(modelCalls(from)).toHaveLength((done!.report as OptimizationReport).usage.calls);

      const again = await w.call(runResume.POST, { as: editor, params: { project: "alpha", run: runId } });
      expect(again.status).toBe(409);
      expect(again.json.error).toMatchObject({ code: "conflict", details: { status: "succeeded" } });
    }, 120_000);

    it("a cancelled run resumes; a queued one is a 409", async () => {
      const runId = await queuedRun();
      const queued = await w.call(runResume.POST, { as: editor, params: { project: "alpha", run: runId } });
      expect(queued.status).toBe(409);
      expect(queued.json.error.details).toEqual({ issues: [], status: "queued" });
      await cancelOptimizationRun(w.db, runId, { runner: "embedded" });
      const resumed = await w.call(runResume.POST, { as: editor, params: { project: "alpha", run: runId } });
      expect(resumed.status, resumed.text).toBe(202);
      expect(resumed.json.resumedFrom).toBe("cancelled");
      await embeddedRunner().idle();
      expect((await getRun(w.db, runId))?.status).toBe("succeeded");
    }, 120_000);
  });

  describe("batches", () => {
    const ROWS = 40;
    beforeAll(async () => {
      const task = await upsertTask(w.db, w.projects.alpha.id, { name: "echo", description: "" });
      await findOrCreatePromptVersion(
        w.db,
        task.id,
        { systemPrompt: "", outputPrompt: "Item: {{text}}", demos: [], params: {} },
        { source: "manual" },
      );
    });

    const queuedBatch = async () => {
      const access = await projectAccess(w.db, w.users.editor.principal, "alpha");
      const bytes = new TextEncoder().encode(
        `text\n${Array.from({ length: ROWS }, (_, i) => `row ${i + 1}`).join("\n")}\n`,
      );
      const created = await createBatch(
        w.db,
        access,
        {
          task: "echo",
          model: { id: "openai-compatible:echo", concurrency: 4 },
          chunkSize: 10,
          cache: { enabled: false, ttlSeconds: 60 },
        },
        {
          body: new Response(bytes).body,
          contentType: "text/csv",
          contentLength: String(bytes.length),
          filename: "rows.csv",
        },
        undefined,
        { dispatch: async () => {} },
      );
      return { id: created.id, access };
    };

    it("a batch the database stopped resumes with the rows not done: each row requested once", async () => {
      const { id } = await queuedBatch();
      const from = server.requests.length;
      const failed = await executeBatch(w.db, id, databaseGoneAt(rowStateSteps(), 2), undefined, {
        dbRetry: quickRetry,
      });
      expect(failed).toMatchObject({ status: "failed", failedStep: "chunk-2", doneRows: 20 });
      const stored = await w.call(batch.GET, { as: viewer, params: { project: "alpha", batch: id } });
      expect(stored.json).toMatchObject({
        status: "failed",
        error: "the database was unavailable; resume the batch",
      });
      expect(stored.text).not.toMatch(ORM_TEXT);

      const resumed = await w.call(batchResume.POST, { as: editor, params: { project: "alpha", batch: id } });
      expect(resumed.status, resumed.text).toBe(202);
      expect(resumed.json).toEqual({ id, status: "queued", runner: "embedded", resumedFrom: "failed" });
      expect(await audits("batch.resumed", id)).toHaveLength(1);
      await embeddedRunner().idle();
      expect(await getBatchRecord(w.db, id)).toMatchObject({
        status: "succeeded",
        doneRows: ROWS,
        calls: ROWS,
        error: null,
        failedStep: null,
      });
      const requested = modelCalls(from).map(
        (r) => (r.body as { messages: { content: string }[] }).messages.at(-1)?.content,
      );
      expect(requested.sort()).toEqual(Array.from({ length: ROWS }, (_, i) => `Item: row ${i + 1}`).sort());

      const again = await w.call(batchResume.POST, { as: editor, params: { project: "alpha", batch: id } });
      expect(again.status).toBe(409);
      expect(again.json.error.details).toEqual({ issues: [], status: "succeeded" });
    }, 60_000);

    it("a cancelled batch resumes; another project's batch is a 404", async () => {
      const { id, access } = await queuedBatch();
      await cancelBatch(w.db, access, id, undefined, { runner: "embedded" });
      const outsider = await w.call(batchResume.POST, {
        as: { bearer: w.keys.betaAdmin },
        params: { project: "beta", batch: id },
      });
      expect(outsider.status).toBe(404);
      const resumed = await w.call(batchResume.POST, { as: editor, params: { project: "alpha", batch: id } });
      expect(resumed.status, resumed.text).toBe(202);
      expect(resumed.json.resumedFrom).toBe("cancelled");
      await embeddedRunner().idle();
      expect(await getBatchRecord(w.db, id)).toMatchObject({ status: "succeeded", doneRows: ROWS });
    }, 60_000);
  });
});
