// Creating batches on SQLite and PostgreSQL: rows streamed in from an upload or a dataset version and run
// by the embedded runner over real HTTP (the loopback fake OpenAI server), malformed rows stopping the
// batch or skipped (never silently), an upload's spec checked as query parameters; reading and
// downloading what was stored. Execution (retries, failures, resume, cancel): execution.test.ts.
import { describe, expect, it } from "vitest";
import { InputError, NotFoundError } from "@/lib/core/errors";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { BatchSpecInput } from "@/lib/validation/batches";
import {
  actor,
  csv,
  failure,
  model,
  registerBatchWorld,
  registerFakeBatchServer,
  settled,
  upload,
  userText,
} from "../testing/batch-world";
import { createBatch, downloadBatchResults, getBatch, listBatches, pageBatchRows } from "./index";

const fake = registerFakeBatchServer();

describe.each(TEST_PROVIDERS)("creating batches on %s", (provider) => {
  const w = registerBatchWorld(provider, fake);

  it("streams an uploaded CSV in and runs it with the embedded runner: one call and one output per row", async () => {
    const before = fake.chatRequests().length;
    const created = await w.create(w.spec(), upload(csv(30)));
    expect(created).toMatchObject({
      status: "queued",
      runner: "embedded",
      totalRows: 30,
      skippedRows: 0,
      issues: [],
    });
    await settled(created.id);
    const batch = await getBatch(w.db, w.access, created.id);
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
    const requests = fake.chatRequests().slice(before);
    expect(requests).toHaveLength(30);
    expect(new Set(requests.map(userText)).size).toBe(30);
    expect(userText(requests[0]!)).toMatch(/^Review: review number \d+, quoted \(en\)$/);

    // Rows page by page, in row order, each with its own output.
    const first = await pageBatchRows(w.db, w.access, created.id, { view: "all", limit: 20 });
    expect(first.items.map((r) => r.rowNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(first.items[0]).toMatchObject({
      key: "1",
      status: "done",
      input: { id: "1", text: "review number 1, quoted", lang: "en" },
      output: `len:${"Review: review number 1, quoted (en)".length}`,
      error: null,
    });
    const second = await pageBatchRows(w.db, w.access, created.id, {
      view: "all",
      cursor: first.nextCursor!,
      limit: 20,
    });
    expect(second.items.map((r) => r.rowNumber)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21));
    expect(second.nextCursor).toBeNull();
    expect((await pageBatchRows(w.db, w.access, created.id, { view: "failed", limit: 50 })).items).toEqual(
      [],
    );
    const bad = await failure(
      pageBatchRows(w.db, w.access, created.id, { view: "all", cursor: "nope", limit: 5 }),
    );
    expect(bad).toBeInstanceOf(InputError);
    expect(bad.message).toContain("query.cursor");

    // Downloads stream every row.
    const text = async (format: "csv" | "jsonl") => {
      const download = await downloadBatchResults(w.db, w.access, created.id, format);
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
    expect(await failure(getBatch(w.db, w.other, created.id))).toBeInstanceOf(NotFoundError);
    expect((await listBatches(w.db, w.other, { limit: 10 })).items).toEqual([]);
  });

  it("reads the rows of a dataset version (keyset, by row number) and JSONL uploads", async () => {
    const fromDataset = await w.create(
      w.spec({ datasetVersionId: w.datasetVersionId, onMalformedRow: "skip" }),
    );
    // Row 12 has an empty "lang": reported, not silently dropped.
    expect(fromDataset).toMatchObject({
      totalRows: 24,
      skippedRows: 1,
      issues: [{ row: 12, message: 'template variable "lang" is missing or empty' }],
    });
    await settled(fromDataset.id);
    const batch = await getBatch(w.db, w.access, fromDataset.id);
    expect(batch).toMatchObject({
      status: "succeeded",
      doneRows: 24,
      skippedRows: 1,
      source: "dataset",
      sourceName: 'dataset "reviews.csv" v1',
      datasetVersionId: w.datasetVersionId,
      issueCount: 1,
    });
    const rows = await pageBatchRows(w.db, w.access, fromDataset.id, { view: "done", limit: 100 });
    expect(rows.items.map((r) => r.key)).toEqual(
      Array.from({ length: 25 }, (_, i) => `r${i + 1}`).filter((k) => k !== "r12"),
    );

    const jsonl = `${JSON.stringify({ text: "one", lang: "en" })}\n\n${JSON.stringify({ text: { nested: true }, lang: "fr", extra: 1 })}\n`;
    const fromJsonl = await w.create(w.spec(), upload(jsonl, "rows.jsonl"));
    expect(fromJsonl.totalRows).toBe(2);
    await settled(fromJsonl.id);
    const detail = await getBatch(w.db, w.access, fromJsonl.id);
    expect(detail.columns).toEqual(["text", "lang", "extra"]);
    const page = await pageBatchRows(w.db, w.access, fromJsonl.id, { view: "all", limit: 10 });
    expect(page.items[1]?.input).toEqual({ text: '{"nested":true}', lang: "fr", extra: "1" });

    const listed = await listBatches(w.db, w.access, { limit: 2 });
    expect(listed.items.map((b) => b.id)).toEqual([fromJsonl.id, fromDataset.id]);
    expect(listed.next).not.toBeNull();
    const next = await listBatches(w.db, w.access, { limit: 50, cursor: listed.next });
    expect(next.items.map((b) => b.id)).not.toContain(fromJsonl.id);
    expect((await listBatches(w.db, w.access, { limit: 50, status: "queued" })).items).toEqual([]);
  });

  it("a malformed row under policy stop refuses the batch naming the file and row; nothing is stored", async () => {
    const before = await w.counts();
    const missing = await failure(
      w.create(w.spec(), upload("id,text,lang\n1,fine,en\n2,,en\n3,also fine,en\n", "broken.csv")),
    );
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.status).toBe(400);
    expect(missing.message).toContain(
      'broken.csv row 2 (line 3): template variable "text" is missing or empty',
    );
    expect(missing.message).toContain("nothing was stored");
    expect(missing.details).toMatchObject({ row: 2, line: 3 });

    const unparsable = await failure(
      w.create(w.spec(), upload('{"text":"a","lang":"en"}\nnot json\n', "rows.jsonl")),
    );
    expect(unparsable.message).toContain("rows.jsonl row 2 (line 2): not valid JSON");
    const fields = await failure(w.create(w.spec(), upload("id,text,lang\n1,a,en,extra\n", "wide.csv")));
    expect(fields.message).toContain("wide.csv row 1 (line 2): expected 3 fields, found 4");
    const noColumn = await failure(
      w.create(w.spec({ onMalformedRow: "skip" }), upload("id,text\n1,a\n", "narrow.csv")),
    );
    expect(noColumn.message).toContain('narrow.csv: no column for template variable "lang"');
    const fromDataset = await failure(w.create(w.spec({ datasetVersionId: w.datasetVersionId })));
    expect(fromDataset.message).toContain('dataset "reviews.csv" v1 row 12: template variable "lang"');
    // Policy skip with every row malformed: nothing to process.
    const allBad = await failure(
      w.create(w.spec({ onMalformedRow: "skip" }), upload("id,text,lang\n1,,en\n", "bad.csv")),
    );
    expect(allBad.message).toContain("every row is malformed");
    expect(await w.counts()).toEqual(before);
  });

  it("policy skip leaves malformed rows out, counts them and reports each one with its row", async () => {
    const text = `id,text,lang\n1,a,en\n2,,en\n3,b,en,x\n4,c,en\n5,"unterminated is fine here",\n`;
    const created = await w.create(w.spec({ onMalformedRow: "skip" }), upload(text, "mixed.csv"));
    expect(created.totalRows).toBe(2);
    expect(created.skippedRows).toBe(3);
    expect(created.issues).toEqual([
      { row: 2, message: 'template variable "text" is missing or empty' },
      { row: 3, message: "expected 3 fields, found 4" },
      { row: 5, message: 'template variable "lang" is missing or empty' },
    ]);
    await settled(created.id);
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 2, skippedRows: 3, issueCount: 3 });
    expect(batch.issues).toEqual(created.issues);
    expect(
      (await pageBatchRows(w.db, w.access, created.id, { view: "all", limit: 10 })).items.map(
        (r) => r.rowNumber,
      ),
    ).toEqual([1, 4]);
  });

  it("stores the issue of every skipped row, past one INSERT of them", async () => {
    const lines = ["id,text,lang", "1,a,en"];
    for (let i = 2; i <= 251; i++) lines.push(`${i},,en`);
    const created = await w.create(
      w.spec({ onMalformedRow: "skip" }),
      upload(`${lines.join("\n")}\n`, "gaps.csv"),
    );
    expect(created).toMatchObject({ totalRows: 1, skippedRows: 250 });
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch.issueCount).toBe(250);
    expect(batch.issues.map((i) => i.row)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(batch.issues[0]?.message).toBe('template variable "text" is missing or empty');
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
      const before = await w.counts();
      const error = await failure(
        w.create({
          ...w.spec({ datasetVersionId: w.datasetVersionId, onMalformedRow: "skip" }),
          ...override(),
        }),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(`Invalid ${field}:`);
      expect(error.message).toContain(text);
      expect(await w.counts()).toEqual(before);
    },
  );

  it("checks an upload's spec as query parameters, and refuses both sources at once", async () => {
    const zero = await failure(w.create(w.spec({ chunkSize: 0 }), upload(csv(3))));
    expect(zero.message).toContain("Invalid query.chunkSize:");
    const limit = await failure(
      w.create(w.spec({ model: model("echo", { rateLimit: { requestsPerMinute: -1 } }) }), upload(csv(3))),
    );
    expect(limit.message).toContain("Invalid query.model.rateLimit.requestsPerMinute:");
    const both = await failure(w.create(w.spec({ datasetVersionId: w.datasetVersionId }), upload(csv(3))));
    expect(both.message).toContain(
      "Invalid query.datasetVersionId: give a dataset version or upload a file, not both",
    );
    const json = await failure(w.create(w.spec(), upload("[]", "rows.json")));
    expect(json.message).toContain("Invalid query.format");
    const big = await failure(
      createBatch(w.db, w.access, w.spec(), upload(csv(50)), actor, {
        runner: "embedded",
        env: {},
        maxBytes: 100,
      }),
    );
    expect(big.status).toBe(413);
  });
});
