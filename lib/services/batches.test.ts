// Batches on SQLite and PostgreSQL: rows streamed in from an upload or a dataset version, malformed rows
// stopping or skipped (never silently), zero or negative limits refused naming the field, the embedded
// runner running a batch to the end over real HTTP (the loopback fake OpenAI server), a failing provider
// failing rows rather than the batch, resuming without paying twice, cancelling, reading and downloading.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { AppError, ConflictError, InputError, NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  getProjectBySlug,
  openDb,
  upsertTask,
} from "@/lib/db";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@/lib/db/test-databases";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { embeddedRunner } from "@/lib/runner";
import type { BatchSpecInput } from "@/lib/validation/batches";
import { executeBatch, resumeUnfinishedBatches, rowStateSteps } from "./batch-execution";
import {
  type BatchUpload,
  cancelBatch,
  createBatch,
  downloadBatchResults,
  getBatch,
  listBatches,
  pageBatchRows,
} from "./batches";
import { storeFakeServerCredential } from "./testing/credentials";

let server: FakeServer;
/** Model "wobbly" answers 500 to the first attempt of every row whose text has an even length. */
const wobbled = new Set<string>();
const chatRequests = () => server.requests.filter((r) => r.path === "/v1/chat/completions");
/** The user message of a recorded chat request (what tells rows apart). */
const userText = (request: { body: unknown }) =>
  ((request.body as { messages: { role: string; content: string }[] }).messages.at(-1)?.content ?? "").trim();

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    latencyMs: (call) => (call.model === "slow" ? 30 : 0),
    respond: (call) => {
      if (call.model === "down") return { status: 400, body: { error: { message: "model is down" } } };
      const text = call.messages.at(-1)?.content ?? "";
      if (call.model === "wobbly" && text.length % 2 === 0 && !wobbled.has(text)) {
        wobbled.add(text);
        return { status: 500, body: { error: { message: "try again" } } };
      }
      return { content: `len:${text.length}` };
    },
  });
});

afterAll(async () => {
  await embeddedRunner().idle();
  await server.close();
});

const actor: AuditActor = { type: "user", id: "u1", label: "ada@example.com" };
/** A model of the fake server: each project's default OpenAI-compatible credential points there. */
const model = (name = "echo", extra: Record<string, unknown> = {}) => ({
  id: `openai-compatible:${name}`,
  concurrency: 4,
  ...extra,
});
const NO_CACHE = { enabled: false, ttlSeconds: 60 };

function upload(text: string, filename = "rows.csv", contentType: string | null = null): BatchUpload {
  const bytes = new TextEncoder().encode(text);
  return {
    body: new ReadableStream({
      start(controller) {
        // In two pieces, so the parser sees a row split across chunks.
        const half = Math.floor(bytes.length / 2);
        controller.enqueue(bytes.slice(0, half));
        controller.enqueue(bytes.slice(half));
        controller.close();
      },
    }),
    contentType,
    contentLength: String(bytes.length),
    filename,
  };
}

const csv = (n: number, from = 1) =>
  `id,text,lang\n${Array.from({ length: n }, (_, i) => `${from + i},"review number ${from + i}, quoted",en`).join("\n")}\n`;

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function settled(id: string) {
  await embeddedRunner().running(id);
  await embeddedRunner().idle();
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(TEST_PROVIDERS)("batches on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let access: ProjectAccess;
  let other: ProjectAccess;
  let datasetVersionId: string;

  const spec = (extra: Partial<BatchSpecInput> = {}): BatchSpecInput => ({
    task: "review",
    model: model(),
    chunkSize: 7,
    cache: NO_CACHE,
    ...extra,
  });
  const counts = async () => ({
    batches: await db.batchJob.count(),
    rows: await db.batchRow.count(),
    issues: await db.batchIssue.count(),
    audit: await db.auditLog.count({ where: { action: { startsWith: "batch." } } }),
  });
  const create = (s: BatchSpecInput, file?: BatchUpload) =>
    createBatch(db, access, s, file, actor, { runner: "embedded", env: {} });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    db = await openDb(database.url);
    const projectOf = async (slug: string): Promise<ProjectAccess> => {
      await ensureProject(db, slug);
      const project = await getProjectBySlug(db, slug);
      return {
        principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
        project: project!,
        role: "editor",
      };
    };
    access = await projectOf("batches");
    other = await projectOf("elsewhere");
    for (const project of [access, other])
      await storeFakeServerCredential(db, project.project.id, server.baseURL);
    const task = await upsertTask(db, access.project.id, { name: "review", description: "" });
    await findOrCreatePromptVersion(
      db,
      task.id,
      {
        systemPrompt: "Summarize.",
        outputPrompt: "Review: {{text}} ({{lang}})",
        demos: [],
        params: { temperature: 0 },
      },
      { source: "manual" },
    );
    const { datasetVersion } = await findOrCreateDatasetVersion(db, access.project.id, {
      name: "reviews.csv",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["text", "lang", "label"],
      contentHash: "reviews-25",
      examples: Array.from({ length: 25 }, (_, i) => ({
        key: `r${i + 1}`,
        rowNumber: i + 1,
        input: { text: `dataset review ${i + 1}`, lang: i === 11 ? "" : "en" },
        expected: "x",
      })),
    });
    datasetVersionId = datasetVersion.id;
  });

  afterAll(async () => {
    await embeddedRunner().idle();
    await db.$disconnect();
    await database.drop();
  });

  it("streams an uploaded CSV in and runs it with the embedded runner: one call and one output per row", async () => {
    const before = chatRequests().length;
    const created = await create(spec(), upload(csv(30)));
    expect(created).toMatchObject({
      status: "queued",
      runner: "embedded",
      totalRows: 30,
      skippedRows: 0,
      issues: [],
    });
    await settled(created.id);
    const batch = await getBatch(db, access, created.id);
    expect(batch).toMatchObject({
      status: "succeeded",
      totalRows: 30,
      doneRows: 30,
      failedRows: 0,
      calls: 30,
      cacheHits: 0,
      source: "file",
      sourceName: "rows.csv",
      taskName: "review",
      promptVersion: 1,
      chunkSize: 7,
      onMalformedRow: "stop",
      columns: ["id", "text", "lang"],
      createdBy: "ada@example.com",
    });
    expect(batch.progress).toMatchObject({ fraction: 1, chunks: 5, etaMs: null });
    expect(batch.inputTokens).toBeGreaterThan(0);
    const requests = chatRequests().slice(before);
    expect(requests).toHaveLength(30);
    expect(new Set(requests.map(userText)).size).toBe(30);
    expect(userText(requests[0]!)).toMatch(/^Review: review number \d+, quoted \(en\)$/);

    // Rows page by page, in row order, each with its own output.
    const first = await pageBatchRows(db, access, created.id, { view: "all", limit: 20 });
    expect(first.items.map((r) => r.rowNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(first.items[0]).toMatchObject({
      key: "1",
      status: "done",
      input: { id: "1", text: "review number 1, quoted", lang: "en" },
      output: `len:${"Review: review number 1, quoted (en)".length}`,
      error: null,
    });
    const second = await pageBatchRows(db, access, created.id, {
      view: "all",
      cursor: first.nextCursor!,
      limit: 20,
    });
    expect(second.items.map((r) => r.rowNumber)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    expect(second.nextCursor).toBeNull();
    expect((await pageBatchRows(db, access, created.id, { view: "failed", limit: 50 })).items).toEqual([]);
    const bad = await failure(
      pageBatchRows(db, access, created.id, { view: "all", cursor: "nope", limit: 5 }),
    );
    expect(bad).toBeInstanceOf(InputError);
    expect(bad.message).toContain("query.cursor");

    // Downloads stream every row.
    const text = async (format: "csv" | "jsonl") => {
      const download = await downloadBatchResults(db, access, created.id, format);
      expect(download.filename).toBe(`review-v1-batch-${created.id}.${format}`);
      return new Response(download.body).text();
    };
    const jsonl = (await text("jsonl"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(jsonl).toHaveLength(30);
    expect(jsonl[29]).toMatchObject({ row: 30, key: "30", status: "done", error: null });
    const lines = (await text("csv")).trim().split("\n");
    expect(lines[0]).toBe("row,key,id,text,lang,status,output,error");
    expect(lines[1]).toBe(`1,1,1,"review number 1, quoted",en,done,len:36,`);
    expect(lines).toHaveLength(31);

    // Another project sees none of it.
    expect(await failure(getBatch(db, other, created.id))).toBeInstanceOf(NotFoundError);
    expect((await listBatches(db, other, { limit: 10 })).items).toEqual([]);
  });

  it("reads the rows of a dataset version (keyset, by row number) and JSONL uploads", async () => {
    const fromDataset = await create(spec({ datasetVersionId, onMalformedRow: "skip" }));
    // Row 12 has an empty "lang": reported, not silently dropped.
    expect(fromDataset).toMatchObject({
      totalRows: 24,
      skippedRows: 1,
      issues: [{ row: 12, message: 'template variable "lang" is missing or empty' }],
    });
    await settled(fromDataset.id);
    const batch = await getBatch(db, access, fromDataset.id);
    expect(batch).toMatchObject({
      status: "succeeded",
      doneRows: 24,
      skippedRows: 1,
      source: "dataset",
      sourceName: 'dataset "reviews.csv" v1',
      datasetVersionId,
      issueCount: 1,
    });
    const rows = await pageBatchRows(db, access, fromDataset.id, { view: "done", limit: 100 });
    expect(rows.items.map((r) => r.key)).toEqual(
      Array.from({ length: 25 }, (_, i) => `r${i + 1}`).filter((k) => k !== "r12"),
    );

    const jsonl = `${JSON.stringify({ text: "one", lang: "en" })}\n\n${JSON.stringify({ text: { nested: true }, lang: "fr", extra: 1 })}\n`;
    const fromJsonl = await create(spec(), upload(jsonl, "rows.jsonl"));
    expect(fromJsonl.totalRows).toBe(2);
    await settled(fromJsonl.id);
    const detail = await getBatch(db, access, fromJsonl.id);
    expect(detail.columns).toEqual(["text", "lang", "extra"]);
    const page = await pageBatchRows(db, access, fromJsonl.id, { view: "all", limit: 10 });
    expect(page.items[1]?.input).toEqual({ text: '{"nested":true}', lang: "fr", extra: "1" });

    const listed = await listBatches(db, access, { limit: 2 });
    expect(listed.items.map((b) => b.id)).toEqual([fromJsonl.id, fromDataset.id]);
    expect(listed.next).not.toBeNull();
    const next = await listBatches(db, access, { limit: 50, cursor: listed.next });
    expect(next.items.map((b) => b.id)).not.toContain(fromJsonl.id);
    expect((await listBatches(db, access, { limit: 50, status: "queued" })).items).toEqual([]);
  });

  it("a malformed row under policy stop refuses the batch naming the file and row; nothing is stored", async () => {
    const before = await counts();
    const missing = await failure(
      create(spec(), upload("id,text,lang\n1,fine,en\n2,,en\n3,also fine,en\n", "broken.csv")),
    );
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.status).toBe(400);
    expect(missing.message).toContain(
      'broken.csv row 2 (line 3): template variable "text" is missing or empty',
    );
    expect(missing.message).toContain("nothing was stored");
    expect(missing.details).toMatchObject({ row: 2, line: 3 });

    const unparsable = await failure(
      create(spec(), upload('{"text":"a","lang":"en"}\nnot json\n', "rows.jsonl")),
    );
    expect(unparsable.message).toContain("rows.jsonl row 2 (line 2): not valid JSON");
    const fields = await failure(create(spec(), upload("id,text,lang\n1,a,en,extra\n", "wide.csv")));
    expect(fields.message).toContain("wide.csv row 1 (line 2): expected 3 fields, found 4");
    const noColumn = await failure(
      create(spec({ onMalformedRow: "skip" }), upload("id,text\n1,a\n", "narrow.csv")),
    );
    expect(noColumn.message).toContain('narrow.csv: no column for template variable "lang"');
    const fromDataset = await failure(create(spec({ datasetVersionId })));
    expect(fromDataset.message).toContain('dataset "reviews.csv" v1 row 12: template variable "lang"');
    // Policy skip with every row malformed: nothing to process.
    const allBad = await failure(
      create(spec({ onMalformedRow: "skip" }), upload("id,text,lang\n1,,en\n", "bad.csv")),
    );
    expect(allBad.message).toContain("every row is malformed");
    expect(await counts()).toEqual(before);
  });

  it("policy skip leaves malformed rows out, counts them and reports each one with its row", async () => {
    const text = `id,text,lang\n1,a,en\n2,,en\n3,b,en,x\n4,c,en\n5,"unterminated is fine here",\n`;
    const created = await create(spec({ onMalformedRow: "skip" }), upload(text, "mixed.csv"));
    expect(created.totalRows).toBe(2);
    expect(created.skippedRows).toBe(3);
    expect(created.issues).toEqual([
      { row: 2, message: 'template variable "text" is missing or empty' },
      { row: 3, message: "expected 3 fields, found 4" },
      { row: 5, message: 'template variable "lang" is missing or empty' },
    ]);
    await settled(created.id);
    const batch = await getBatch(db, access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 2, skippedRows: 3, issueCount: 3 });
    expect(
      (await pageBatchRows(db, access, created.id, { view: "all", limit: 10 })).items.map((r) => r.rowNumber),
    ).toEqual([1, 4]);
  });

  it.each([
    ["a zero chunk size", () => ({ chunkSize: 0 }), "body.chunkSize", "at least 1"],
    ["a negative chunk size", () => ({ chunkSize: -5 }), "body.chunkSize", "at least 1"],
    ["a chunk size above 1000", () => ({ chunkSize: 5000 }), "body.chunkSize", "at most 1000"],
    ["zero concurrency", () => ({ model: model("echo", { concurrency: 0 }) }), "body.model.concurrency", ""],
    [
      "negative concurrency",
      () => ({ model: model("echo", { concurrency: -2 }) }),
      "body.model.concurrency",
      "",
    ],
    [
      "a zero request limit",
      () => ({ model: model("echo", { rateLimit: { requestsPerMinute: 0 } }) }),
      "body.model.rateLimit.requestsPerMinute",
      "positive",
    ],
    [
      "a negative token limit",
      () => ({ model: model("echo", { rateLimit: { tokensPerMinute: -100 } }) }),
      "body.model.rateLimit.tokensPerMinute",
      "positive",
    ],
    [
      "a zero time limit",
      () => ({ model: model("echo", { timeoutMs: 0 }) }),
      "body.model.timeoutMs",
      "positive",
    ],
    [
      "zero retries",
      () => ({ model: model("echo", { maxRetries: 0 }) }),
      "body.model.maxRetries",
      "positive",
    ],
    [
      "an unknown model configuration",
      () => ({ model: "fast" }),
      "body.model",
      'no model configuration named "fast"',
    ],
    ["an unknown provider", () => ({ model: "foo:bar" }), "body.model", 'Unknown provider "foo"'],
    ["a missing credential", () => ({ model: "openai:gpt-4o-mini" }), "body.model", "OPENAI_API_KEY"],
    ["an unknown task", () => ({ task: "nope" }), "body.task", 'no task named (or with id) "nope"'],
    ["a missing prompt version", () => ({ promptVersion: 9 }), "body.promptVersion", "no prompt version 9"],
    [
      "an unknown dataset version",
      () => ({ datasetVersionId: "nope" }),
      "body.datasetVersionId",
      'no dataset version "nope"',
    ],
    [
      "no rows at all",
      () => ({ datasetVersionId: undefined }),
      "body.datasetVersionId",
      "name the dataset version",
    ],
    ["an unknown policy", () => ({ onMalformedRow: "ignore" as never }), "body.onMalformedRow", ""],
  ] as [string, () => Partial<BatchSpecInput>, string, string][])(
    "refuses %s, naming the field, and stores nothing",
    async (_, override, field, text) => {
      const before = await counts();
      const error = await failure(
        create({ ...spec({ datasetVersionId, onMalformedRow: "skip" }), ...override() }),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(`Invalid ${field}:`);
      expect(error.message).toContain(text);
      expect(await counts()).toEqual(before);
    },
  );

  it("checks an upload's spec as query parameters, and refuses both sources at once", async () => {
    const zero = await failure(create(spec({ chunkSize: 0 }), upload(csv(3))));
    expect(zero.message).toContain("Invalid query.chunkSize:");
    const limit = await failure(
      create(spec({ model: model("echo", { rateLimit: { requestsPerMinute: -1 } }) }), upload(csv(3))),
    );
    expect(limit.message).toContain("Invalid query.model.rateLimit.requestsPerMinute:");
    const both = await failure(create(spec({ datasetVersionId }), upload(csv(3))));
    expect(both.message).toContain(
      "Invalid query.datasetVersionId: give a dataset version or upload a file, not both",
    );
    const json = await failure(create(spec(), upload("[]", "rows.json")));
    expect(json.message).toContain("Invalid query.format");
    const big = await failure(
      createBatch(db, access, spec(), upload(csv(50)), actor, { runner: "embedded", env: {}, maxBytes: 100 }),
    );
    expect(big.status).toBe(413);
  });

  it("counts the gateway's retries and stores the latency percentiles of the calls when it finishes", async () => {
    wobbled.clear();
    const created = await create(spec({ model: model("wobbly") }), upload(csv(12)));
    await settled(created.id);
    const batch = await getBatch(db, access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 12, failedRows: 0 });
    expect(wobbled.size).toBeGreaterThan(0);
    expect(batch.retries).toBe(wobbled.size);
    const rows = await db.batchRow.findMany({ where: { batchId: created.id }, select: { latencyMs: true } });
    const latencies = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
    expect(batch.latency).toEqual({
      count: 12,
      p50: latencies[5],
      p95: latencies[11],
      p99: latencies[11],
      max: latencies[11],
    });
  });

  it("a failing provider fails rows (error recorded), not the batch", async () => {
    const created = await create(spec({ model: model("down") }), upload(csv(9)));
    await settled(created.id);
    const batch = await getBatch(db, access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 9, failedRows: 9, error: null });
    const failed = await pageBatchRows(db, access, created.id, { view: "failed", limit: 50 });
    expect(failed.items).toHaveLength(9);
    expect(failed.items[0]).toMatchObject({ status: "failed", output: null });
    expect(failed.items[0]?.error).toContain("model is down");
    expect((await pageBatchRows(db, access, created.id, { view: "done", limit: 50 })).items).toEqual([]);
  });

  it("an interrupted batch resumes with the rows not done yet: no finished row is requested again", async () => {
    const created = await createBatch(
      db,
      access,
      spec({ chunkSize: 5, model: model("slow", { concurrency: 2 }) }),
      upload(csv(40)),
      actor,
      {
        dispatch: async () => {},
        env: {},
      },
    );
    const before = chatRequests().length;
    const controller = new AbortController();
    let done = 0;
    const first = await executeBatch(db, created.id, rowStateSteps(), controller.signal, {
      progress: (p) => {
        done = p.doneHere;
        if (done >= 12) controller.abort(new Error("shutting down"));
      },
    });
    expect(first.status).toBe("interrupted");
    // Requests cut short by the abort may still be arriving at the server.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterFirst = chatRequests().length;
    const doneRows = (await pageBatchRows(db, access, created.id, { view: "done", limit: 100 })).items;
    expect(doneRows.length).toBeGreaterThanOrEqual(12);
    expect((await getBatch(db, access, created.id)).status).toBe("running");

    // The app restarting resumes it (origin "api").
    const resumed = await resumeUnfinishedBatches(db, { runner: "embedded" });
    expect(resumed.resumed).toContain(created.id);
    await settled(created.id);
    const batch = await getBatch(db, access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 40, failedRows: 0, calls: 40 });
    const again = new Set(chatRequests().slice(afterFirst).map(userText));
    const finished = doneRows.map((r) => `Review: ${r.input.text} (${r.input.lang})`);
    expect(finished.filter((t) => again.has(t))).toEqual([]);
    // Every row was requested; only rows cut short by the interruption were requested twice.
    const all = chatRequests().slice(before).map(userText);
    expect(new Set(all).size).toBe(40);
    expect(all.length - 40).toBeLessThanOrEqual(afterFirst - before - doneRows.length);
  });

  it("cancel stops a running batch before its next chunk and aborts calls in flight; finished rows stay", async () => {
    const created = await create(
      spec({ chunkSize: 4, model: model("slow", { concurrency: 2 }) }),
      upload(csv(60)),
    );
    await until(async () => (await getBatch(db, access, created.id)).doneRows >= 8);
    expect(await cancelBatch(db, access, created.id, actor, { runner: "embedded" })).toEqual({
      id: created.id,
      status: "cancelled",
    });
    await settled(created.id);
    // Calls in flight at the cancel were aborted; give the last of them time to arrive, then nothing more.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const atEnd = chatRequests().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chatRequests().length).toBe(atEnd);
    const batch = await getBatch(db, access, created.id);
    expect(batch.status).toBe("cancelled");
    expect(batch.doneRows).toBeGreaterThanOrEqual(8);
    expect(batch.doneRows).toBeLessThan(60);
    const rows = await pageBatchRows(db, access, created.id, { view: "done", limit: 100 });
    expect(rows.items).toHaveLength(batch.doneRows);
    expect((await pageBatchRows(db, access, created.id, { view: "failed", limit: 100 })).items).toEqual([]);
    // Again: a no-op. A finished batch: 409.
    expect((await cancelBatch(db, access, created.id, actor, { runner: "embedded" })).status).toBe(
      "cancelled",
    );
    const finished = await create(spec(), upload(csv(2)));
    await settled(finished.id);
    expect(await failure(cancelBatch(db, access, finished.id, actor, { runner: "embedded" }))).toBeInstanceOf(
      ConflictError,
    );
    expect(await db.auditLog.count({ where: { action: "batch.cancelled", targetId: created.id } })).toBe(1);
  });
});
