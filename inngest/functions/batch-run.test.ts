// The batch function, run in-process by @inngest/test's engine (it replays the handler over memoized
// step state, as the Inngest server does; flow control is not simulated, so the registered configuration
// is asserted instead). Real SQLite; provider calls over HTTP to the loopback fake server.

import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InngestTestEngine, mockCtx } from "@inngest/test";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type Db,
  ensureProject,
  findOrCreatePromptVersion,
  getBatchRecord,
  getProjectBySlug,
  iterateBatchRows,
  markBatchCancelled,
  openDb,
  upsertTask,
} from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { createBatch } from "@/lib/services/batches";
import { batchJob } from "@/lib/services/jobs";
import { storeFakeServerCredential } from "@/lib/services/testing/credentials";
import { functionOf, functions } from ".";
import { createJobFunction, LIMITS_STEP } from "./job-function";

const batchRun = functionOf("batch-run");

/** Inngest keys step state by the SHA-1 of the step id. */
const hashed = (id: string) => createHash("sha1").update(id).digest("hex");

let server: FakeServer;
let db: Db;
let access: ProjectAccess;
const client = new Inngest({ id: "strop", isDev: true });
const userTexts = (from = 0) =>
  server.requests
    .slice(from)
    .filter((r) => r.path === "/v1/chat/completions")
    .map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? "");

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond: (call) =>
      call.model === "down"
        ? { status: 400, body: { error: { message: "model is down" } } }
        : { content: `out:${call.messages.at(-1)?.content ?? ""}` },
  });
  db = await openDb(
    `file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-inngest-batch-")), "strop.db")}`,
  );
  await ensureProject(db);
  const project = (await getProjectBySlug(db, "default"))!;
  await storeFakeServerCredential(db, project.id, server.baseURL);
  const task = await upsertTask(db, project.id, { name: "echo", description: "" });
  await findOrCreatePromptVersion(
    db,
    task.id,
    { systemPrompt: "", outputPrompt: "Item: {{text}}", demos: [], params: {} },
    { source: "manual" },
  );
  access = {
    principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
    project,
    role: "editor",
  };
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
});

/** A stored, queued batch of `rows` rows and the event that asks for it. */
async function queuedBatch(rows: number, model = "echo") {
  const bytes = new TextEncoder().encode(
    `text\n${Array.from({ length: rows }, (_, i) => `${model} row ${i + 1}`).join("\n")}\n`,
  );
  const { id } = await createBatch(
    db,
    access,
    {
      task: "echo",
      model: { id: `openai-compatible:${model}`, concurrency: 3 },
      chunkSize: 4,
      cache: { enabled: false, ttlSeconds: 60 },
    },
    { body: new Response(bytes).body, contentType: "text/csv", contentLength: null, filename: "rows.csv" },
    undefined,
    { dispatch: async () => {}, env: {} },
  );
  const event = {
    name: "strop/batch.requested",
    data: { batchId: id, projectId: access.project.id, provider: "openai-compatible" },
  };
  return { id, events: [event] as [typeof event] };
}

const engine = (
  events: [{ name: string; data: Record<string, unknown> }],
  transformCtx?: InngestTestEngine.Options["transformCtx"],
) =>
  new InngestTestEngine({
    function: createJobFunction(client, batchJob, { db: async () => db }),
    events,
    ...(transformCtx ? { transformCtx } : {}),
  });

const configOf = (fn: unknown) =>
  (fn as { getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }).getConfig({
    baseUrl: new URL("http://localhost:3000/api/inngest"),
    appPrefix: "strop",
  })[0];

describe("the registered batch function", () => {
  it("carries the flow control: concurrency per project and provider, retries, cancelOn", () => {
    expect(configOf(batchRun)).toMatchObject({
      id: "strop-batch-run",
      name: "Batch",
      triggers: [{ event: "strop/batch.requested" }],
      concurrency: [
        { key: "event.data.projectId", limit: 2 },
        { key: "event.data.provider", limit: 4 },
      ],
      steps: { step: { retries: { attempts: 4 } } },
      cancel: [{ event: "strop/batch.cancel", if: "event.data.batchId == async.data.batchId" }],
    });
    expect(functions).toContain(batchRun);
  });

  it("takes its limits from the environment", () => {
    const fn = createJobFunction(client, batchJob, {
      env: { STROP_INNGEST_BATCH_PROJECT_CONCURRENCY: "3", STROP_INNGEST_BATCH_PROVIDER_CONCURRENCY: "9" },
    });
    expect(configOf(fn)?.concurrency).toEqual([
      { key: "event.data.projectId", limit: 3 },
      { key: "event.data.provider", limit: 9 },
    ]);
  });
});

describe("executing a batch through Inngest steps", () => {
  it("runs each chunk as a memoized step `chunk-<n>` returning counts only; no row is requested twice", async () => {
    const { id, events } = await queuedBatch(10);
    const before = server.requests.length;
    const { result, ctx, state } = await engine(events).execute();
    expect(result).toEqual({ batchId: id, status: "succeeded", doneRows: 10, failedRows: 0 });
    // The engine replayed the handler once per step; each row was still requested exactly once.
    const texts = userTexts(before);
    expect(texts).toHaveLength(10);
    expect(new Set(texts).size).toBe(10);
    const ran = ctx.step.run.mock.calls.map((call) => call[0]);
    const chunks = ["chunk-0", "chunk-1", "chunk-2"];
    // The engine's check that the batch fits one function run, then one step per chunk.
    expect(ran).toEqual([LIMITS_STEP, ...chunks]);
    expect(Object.keys(state).sort()).toEqual([LIMITS_STEP, ...chunks].map(hashed).sort());
    expect(await ctx.step.run.mock.results[0]?.value).toBeNull();
    // What Inngest stores per chunk step: counts, not rows.
    const stored = await Promise.all(ctx.step.run.mock.results.slice(1).map((r) => r.value));
    expect(stored.map((s) => Object.keys(s as object).sort())).toEqual(
      Array(3).fill([
        "cacheHits",
        "calls",
        "costUsd",
        "done",
        "failed",
        "inputTokens",
        "outputTokens",
        "rows",
      ]),
    );
    expect(stored.map((s) => (s as { rows: number }).rows)).toEqual([4, 4, 2]);
    const batch = await getBatchRecord(db, id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 10, calls: 10 });
    for await (const row of iterateBatchRows(db, id))
      expect(row.output).toBe(`out:Item: echo row ${row.rowNumber}`);
  }, 60_000);

  it("a failing provider fails the rows, not the batch", async () => {
    const { id, events } = await queuedBatch(5, "down");
    const { result } = await engine(events).execute();
    expect(result).toEqual({ batchId: id, status: "succeeded", doneRows: 5, failedRows: 5 });
    for await (const row of iterateBatchRows(db, id)) expect(row.error).toContain("model is down");
  }, 60_000);

  it("a cancelled batch stops at its next chunk without retries, and one cancelled before it starts never runs", async () => {
    const { id, events } = await queuedBatch(12);
    const { error } = await engine(events, (raw) => {
      const ctx = mockCtx(raw) as unknown as { step: { run: (id: string, fn: () => unknown) => unknown } };
      const run = ctx.step.run;
      ctx.step.run = async (stepId: string, fn: () => unknown) => {
        if (stepId === "chunk-1") await markBatchCancelled(db, id);
        return run(stepId, fn);
      };
      return ctx as never;
    }).execute();
    expect((error as Error).name).toBe("NonRetriableError");
    expect((error as Error).message).toBe("the run was cancelled");
    const batch = await getBatchRecord(db, id);
    expect(batch).toMatchObject({ status: "cancelled", doneRows: 4 });

    const early = await queuedBatch(4);
    await markBatchCancelled(db, early.id);
    const before = server.requests.length;
    const { result } = await engine(early.events).execute();
    expect(result).toEqual({ batchId: early.id, status: "cancelled", doneRows: 0, failedRows: 0 });
    expect(server.requests.length).toBe(before);
  }, 60_000);
});
