// Batches over HTTP on both databases: starting one from a dataset version (JSON) and from an uploaded
// CSV or JSONL file (the raw body, the spec in the query string), with the offline simulator; listing,
// rows page by page and by view, downloads, the live events stream, cancelling, and bad input (a
// malformed row with stop and with skip, chunk sizes, unknown task, model or dataset version), where
// nothing may be stored. Another project sees none of it.

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOrCreateDatasetVersion, findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { storeFakeServerCredential } from "@/lib/services/testing/credentials";
import * as cancel from "./[batch]/cancel/route";
import * as events from "./[batch]/events/route";
import * as results from "./[batch]/results/route";
import * as batch from "./[batch]/route";
import * as rowsRoute from "./[batch]/rows/route";
import * as batches from "./route";

const root = path.resolve(import.meta.dirname, "../../../../../..");

/** The bundled sentiment reviews: [id, text, label]. */
function reviews(n: number): { id: string; text: string; label: string }[] {
  const lines = readFileSync(path.join(root, "examples/sentiment/reviews.csv"), "utf8").trim().split("\n");
  return lines
    .slice(1)
    .map((line) => {
      const m = /^([^,]+),("(?:[^"]|"")*"|[^,]*),(\w+)$/.exec(line)!;
      const text = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!;
      return { id: m[1]!, text, label: m[3]! };
    })
    .slice(0, n);
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

interface SendOptions {
  as: { bearer: string } | { cookie: string };
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Calls a handler with a raw body (or none), query parameters and headers. */
async function send(handler: RouteHandler, options: SendOptions): Promise<CallResult> {
  const response = await request(handler, options);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

function request(handler: RouteHandler, options: SendOptions): Promise<Response> {
  const { method, path: template } = handler.operation;
  const params = { project: "alpha", ...options.params };
  const url = new URL(
    template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name as "project"] ?? "")),
    "http://localhost",
  );
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers = new Headers(options.headers);
  if ("bearer" in options.as) headers.set("authorization", `Bearer ${options.as.bearer}`);
  else headers.set("cookie", options.as.cookie);
  return handler(new Request(url, { method, headers, body: options.body, signal: options.signal }), {
    params: Promise.resolve(params),
  });
}

/** The events of a text/event-stream body. */
function parseEvents(text: string): { event: string; id?: string; data: Record<string, unknown> }[] {
  return text
    .split("\n\n")
    .filter((block) => block.split("\n").some((line) => line.startsWith("data:")))
    .map((block) => {
      const field = (name: string) =>
        block
          .split("\n")
          .filter((line) => line.startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).trimStart());
      return {
        event: field("event")[0] ?? "message",
        ...(field("id").length ? { id: field("id")[0] } : {}),
        data: JSON.parse(field("data").join("\n")),
      };
    });
}

const FINISHED = ["succeeded", "failed", "cancelled"];

describe.each(TEST_PROVIDERS)("batches API on %s", (provider) => {
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  let server: FakeServer;
  let datasetVersionId: string;
  const ROWS = 30;
  const sample = reviews(ROWS);

  /**
   * A slow model over real HTTP (the fake OpenAI server answering with the simulator), reached through
   * the project's default OpenAI-compatible credential.
   */
  const slowModel = { id: "openai-compatible:sim-default", concurrency: 1 };

  const get = (id: string) => send(batch.GET, { as: viewer, params: { batch: id } });

  async function settled(id: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await get(id);
      expect(res.status, res.text).toBe(200);
      if (FINISHED.includes(res.json.status)) return res.json;
      if (Date.now() > deadline) throw new Error(`batch ${id} still ${res.json.status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const counts = async () => ({
    batches: await w.db.batchJob.count(),
    rows: await w.db.batchRow.count(),
    issues: await w.db.batchIssue.count(),
  });

  const startJson = (body: Record<string, unknown>, as = editor) =>
    send(batches.POST, {
      as,
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });

  const upload = (body: string, query: Record<string, string>, contentType = "text/csv") =>
    send(batches.POST, {
      as: editor,
      query: { task: "sentiment", model: "sim:default", ...query },
      body,
      headers: { "content-type": contentType },
    });

  beforeAll(async () => {
    server = await startFakeOpenAIServer({ latencyMs: 60 });
    w = await createApiWorld(provider);
    await storeFakeServerCredential(w.db, w.projects.alpha.id, server.baseURL);
    editor = { bearer: w.keys.alphaEditor };
    viewer = { bearer: w.keys.alphaViewer };
    const task = await upsertTask(w.db, w.projects.alpha.id, {
      name: "sentiment",
      description: "Classify reviews",
    });
    const prompt = (extra: string) => ({
      systemPrompt: "You are a helpful assistant.",
      outputPrompt: `Classify the sentiment of this review as positive, negative or neutral.${extra}\n\nReview: {{text}}`,
      demos: [],
      params: {},
    });
    await findOrCreatePromptVersion(w.db, task.id, prompt(""), { source: "manual" });
    await findOrCreatePromptVersion(w.db, task.id, prompt(" Answer with only the label."), {
      source: "manual",
    });
    const { datasetVersion } = await findOrCreateDatasetVersion(w.db, w.projects.alpha.id, {
      name: "reviews",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["id", "text", "label"],
      contentHash: `reviews-${ROWS}`,
      examples: sample.map((r, i) => ({
        key: r.id,
        rowNumber: i + 1,
        input: { text: r.text },
        expected: r.label,
      })),
    });
    datasetVersionId = datasetVersion.id;
  });

  afterAll(async () => {
    // Let every batch finish before the database goes away.
    if (w) {
      const deadline = Date.now() + 60_000;
      while (
        (await w.db.batchJob.count({ where: { status: { in: ["queued", "running"] } } })) > 0 &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await w?.close();
    await server?.close();
  });

  describe("from a dataset version", () => {
    let id: string;

    it("starts (202), runs every row with the simulator and succeeds", async () => {
      const before = await w.db.auditLog.count();
      const res = await startJson({
        task: "sentiment",
        promptVersion: 2,
        datasetVersionId,
        model: "sim:default",
        chunkSize: 7,
      });
      expect(res.status, res.text).toBe(202);
      expect(res.json).toEqual({
        id: expect.any(String),
        status: "queued",
        runner: "embedded",
        totalRows: ROWS,
        skippedRows: 0,
        issues: [],
      });
      id = res.json.id;
      expect(await w.db.auditLog.count()).toBeGreaterThan(before);

      const done = await settled(id);
      expect(done).toMatchObject({
        id,
        status: "succeeded",
        taskName: "sentiment",
        promptVersion: 2,
        source: "dataset",
        modelId: "sim:default",
        totalRows: ROWS,
        doneRows: ROWS,
        failedRows: 0,
        skippedRows: 0,
        chunkSize: 7,
        onMalformedRow: "stop",
        datasetVersionId,
        error: null,
      });
      expect(done.calls).toBe(ROWS);
      expect(done.inputTokens).toBeGreaterThan(0);
      expect(done.outputTokens).toBeGreaterThan(0);
      expect(done.startedAt).not.toBeNull();
      expect(done.finishedAt).not.toBeNull();
    });

    it("lists it, filters by status and pages with a cursor", async () => {
      const second = await startJson({ task: "sentiment", datasetVersionId, model: "sim:default" });
      expect(second.status, second.text).toBe(202);
      // Without promptVersion: the latest (2).
      const again = await settled(second.json.id);
      expect(again).toMatchObject({ status: "succeeded", promptVersion: 2, doneRows: ROWS });

      const all = await send(batches.GET, { as: viewer });
      expect(all.status).toBe(200);
      const ids = all.json.items.map((b: { id: string }) => b.id);
      expect(ids).toContain(id);
      expect(ids.indexOf(second.json.id)).toBeLessThan(ids.indexOf(id)); // newest first

      const succeeded = await send(batches.GET, { as: viewer, query: { status: "succeeded" } });
      expect(succeeded.json.items.map((b: { id: string }) => b.id)).toContain(id);
      const running = await send(batches.GET, { as: viewer, query: { status: "running" } });
      expect(running.json.items.map((b: { id: string }) => b.id)).not.toContain(id);

      const first = await send(batches.GET, { as: viewer, query: { limit: "1" } });
      expect(first.json.items).toHaveLength(1);
      expect(first.json.nextCursor).toEqual(expect.any(String));
      const next = await send(batches.GET, {
        as: viewer,
        query: { limit: "1", cursor: first.json.nextCursor },
      });
      expect(next.json.items).toHaveLength(1);
      expect(next.json.items[0].id).not.toBe(first.json.items[0].id);

      const bad = await send(batches.GET, { as: viewer, query: { status: "done" } });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: "status" });
    });

    it("pages through the rows in order, by view", async () => {
      const seen: { rowNumber: number; key: string; input: Record<string, string>; output: string }[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await send(rowsRoute.GET, {
          as: viewer,
          params: { batch: id },
          query: { limit: "8", ...(cursor ? { cursor } : {}) },
        });
        expect(res.status, res.text).toBe(200);
        expect(res.json.items.length).toBeLessThanOrEqual(8);
        seen.push(...res.json.items);
        cursor = res.json.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(Math.ceil(ROWS / 8));
      expect(seen.map((r) => r.rowNumber)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
      expect(seen.map((r) => r.key)).toEqual(sample.map((r) => r.id));
      expect(seen.map((r) => r.input.text)).toEqual(sample.map((r) => r.text));
      for (const row of seen) {
        expect(row).toMatchObject({ status: "done", error: null });
        expect(row.output.length).toBeGreaterThan(0);
      }
      // With "Answer with only the label" the simulator answers with bare labels.
      const labels = new Set(seen.map((r) => r.output.trim().toLowerCase()));
      for (const label of labels) expect(["positive", "negative", "neutral"]).toContain(label);

      const done = await send(rowsRoute.GET, {
        as: viewer,
        params: { batch: id },
        query: { view: "done", limit: "500" },
      });
      expect(done.json.items).toHaveLength(ROWS);
      const failed = await send(rowsRoute.GET, {
        as: viewer,
        params: { batch: id },
        query: { view: "failed" },
      });
      expect(failed.json).toEqual({ items: [], nextCursor: null });
      const bad = await send(rowsRoute.GET, { as: viewer, params: { batch: id }, query: { view: "broken" } });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: "view" });
    });

    it("downloads the results as JSONL and as CSV", async () => {
      const rows = (await send(rowsRoute.GET, { as: viewer, params: { batch: id }, query: { limit: "500" } }))
        .json.items as { key: string; output: string }[];

      const jsonl = await send(results.GET, {
        as: viewer,
        params: { batch: id },
        query: { format: "jsonl" },
      });
      expect(jsonl.status).toBe(200);
      expect(jsonl.headers.get("content-type")).toContain("application/x-ndjson");
      expect(jsonl.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.jsonl"$/);
      const lines = jsonl.text.trimEnd().split("\n");
      expect(lines).toHaveLength(ROWS);
      const records = lines.map((line) => JSON.parse(line));
      expect(JSON.stringify(records[0])).toContain(sample[0]!.text.slice(0, 20));
      expect(records.map((r) => JSON.stringify(r))).toEqual(
        rows.map((row) => expect.stringContaining(JSON.stringify(row.output))),
      );

      const csv = await send(results.GET, { as: viewer, params: { batch: id }, query: { format: "csv" } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toContain("text/csv");
      expect(csv.headers.get("content-disposition")).toMatch(/\.csv"$/);
      const csvLines = csv.text.trimEnd().split("\n");
      const header = csvLines[0]!.split(",");
      expect(header).toEqual(expect.arrayContaining(["text", "output"]));
      expect(csvLines).toHaveLength(ROWS + 1);
      expect(csvLines[1]).toContain(csvCell(sample[0]!.text));

      const bad = await send(results.GET, { as: viewer, params: { batch: id }, query: { format: "xlsx" } });
      expect(bad.status).toBe(400);
    });

    it("streams its events: progress, then end; a client that saw the end gets it again", async () => {
      const res = await send(events.GET, { as: viewer, params: { batch: id } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const received = parseEvents(res.text);
      expect(received.map((e) => e.event)).toEqual(["progress", "end"]);
      expect(received[0]!.data).toEqual({
        status: "succeeded",
        totalRows: ROWS,
        doneRows: ROWS,
        failedRows: 0,
        skippedRows: 0,
        calls: ROWS,
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        costUsd: 0,
        cacheHits: expect.any(Number),
      });
      expect(received[1]).toMatchObject({ id: "end", data: { status: "succeeded", error: null } });

      const resumed = await send(events.GET, {
        as: viewer,
        params: { batch: id },
        headers: { "last-event-id": "end" },
      });
      expect(parseEvents(resumed.text).map((e) => [e.event, e.id])).toEqual([["end", "end"]]);
    });

    it("refuses to cancel a finished batch (409)", async () => {
      const res = await send(cancel.POST, { as: editor, params: { batch: id } });
      expect(res.status).toBe(409);
      expect((await get(id)).json.status).toBe("succeeded");
    });
  });

  describe("live progress and cancelling", () => {
    it("sends progress events while rows finish, then end", async () => {
      const res = await startJson({
        task: "sentiment",
        datasetVersionId,
        model: slowModel,
        chunkSize: 2,
        cache: { enabled: false, ttlSeconds: 60 },
      });
      expect(res.status, res.text).toBe(202);
      const stream = await send(events.GET, { as: viewer, params: { batch: res.json.id } });
      const received = parseEvents(stream.text);
      const progress = received.filter((e) => e.event === "progress").map((e) => e.data);
      expect(received.at(-1)).toMatchObject({ event: "end", id: "end", data: { status: "succeeded" } });
      expect(progress.length).toBeGreaterThanOrEqual(2);
      const done = progress.map((p) => p.doneRows as number);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done[0]).toBeLessThan(ROWS);
      expect(new Set(progress.map((p) => JSON.stringify(p))).size).toBe(progress.length); // only changes
    });

    it("stops streaming when the client goes away", async () => {
      const res = await startJson({
        task: "sentiment",
        datasetVersionId,
        model: slowModel,
        chunkSize: 1,
        cache: { enabled: false, ttlSeconds: 60 },
      });
      expect(res.status, res.text).toBe(202);
      const abort = new AbortController();
      const response = await request(events.GET, {
        as: viewer,
        params: { batch: res.json.id },
        signal: abort.signal,
      });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain("event: progress");
      abort.abort();
      await reader.cancel();
      // The cancelled stream ends; the batch itself goes on and finishes.
      expect((await settled(res.json.id)).status).toBe("succeeded");
    });

    it("cancels a running batch; a second cancel is a 409", async () => {
      const res = await startJson({
        task: "sentiment",
        datasetVersionId,
        model: slowModel,
        chunkSize: 1,
        cache: { enabled: false, ttlSeconds: 60 },
      });
      expect(res.status, res.text).toBe(202);
      const id = res.json.id;
      const viewerTry = await send(cancel.POST, { as: viewer, params: { batch: id } });
      expect(viewerTry.status).toBe(403);
      const cancelled = await send(cancel.POST, { as: editor, params: { batch: id } });
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(cancelled.json).toEqual({ id, status: "cancelled" });
      const after = await settled(id);
      expect(after.status).toBe("cancelled");
      expect(after.doneRows).toBeLessThan(ROWS);
      const stream = parseEvents((await send(events.GET, { as: viewer, params: { batch: id } })).text);
      expect(stream.at(-1)).toMatchObject({ event: "end", data: { status: "cancelled" } });
      // Cancelling a cancelled batch again changes nothing (no second audit entry).
      const audits = await w.db.auditLog.count({ where: { targetId: id, action: "batch.cancelled" } });
      expect(audits).toBe(1);
      const again = await send(cancel.POST, { as: editor, params: { batch: id } });
      expect(again.json).toEqual({ id, status: "cancelled" });
      expect(await w.db.auditLog.count({ where: { targetId: id, action: "batch.cancelled" } })).toBe(1);
    });

    it("counts response-cache hits: the same rows again come from the cache", async () => {
      const cachedModel = { ...slowModel, concurrency: 8 };
      const spec = { task: "sentiment", datasetVersionId, model: cachedModel, chunkSize: 10 };
      const first = await startJson(spec);
      expect(first.status, first.text).toBe(202);
      expect(await settled(first.json.id)).toMatchObject({ status: "succeeded", cacheHits: 0, calls: ROWS });
      const second = await startJson(spec);
      const again = await settled(second.json.id);
      expect(again).toMatchObject({ status: "succeeded", doneRows: ROWS, calls: ROWS });
      // The cache is best effort (a write that lost a race with a busy database is skipped): most rows
      // come from it, and the counter matches the rows marked cached.
      expect(again.cacheHits).toBeGreaterThan(ROWS / 2);
      const page = await send(rowsRoute.GET, {
        as: viewer,
        params: { batch: second.json.id },
        query: { limit: "500" },
      });
      const cached = page.json.items.filter((r: { cached: boolean; inputTokens: number }) => r.cached);
      expect(cached).toHaveLength(again.cacheHits);
      const stream = parseEvents(
        (await send(events.GET, { as: viewer, params: { batch: second.json.id } })).text,
      );
      expect(stream[0]!.data).toMatchObject({ cacheHits: again.cacheHits, doneRows: ROWS });
    });
  });

  describe("from an uploaded file", () => {
    it("runs the rows of a CSV body", async () => {
      const rows = sample.slice(0, 12);
      const body = `id,text\n${rows.map((r) => `${r.id},${csvCell(r.text)}`).join("\n")}\n`;
      const res = await upload(body, { filename: "to-label.csv", chunkSize: "5", promptVersion: "1" });
      expect(res.status, res.text).toBe(202);
      expect(res.json).toMatchObject({ status: "queued", totalRows: 12, skippedRows: 0, issues: [] });
      const done = await settled(res.json.id);
      expect(done).toMatchObject({
        status: "succeeded",
        source: "file",
        sourceName: "to-label.csv",
        promptVersion: 1,
        doneRows: 12,
        chunkSize: 5,
        datasetVersionId: null,
      });
      const page = await send(rowsRoute.GET, { as: viewer, params: { batch: res.json.id } });
      expect(page.json.items.map((r: { input: { text: string } }) => r.input.text)).toEqual(
        rows.map((r) => r.text),
      );
    });

    it("runs the rows of a JSONL body", async () => {
      const rows = sample.slice(12, 20);
      const body = rows.map((r) => JSON.stringify({ text: r.text })).join("\n");
      const res = await upload(body, { filename: "batch.jsonl" }, "application/x-ndjson");
      expect(res.status, res.text).toBe(202);
      expect(res.json.totalRows).toBe(rows.length);
      const done = await settled(res.json.id);
      expect(done).toMatchObject({ status: "succeeded", doneRows: rows.length, sourceName: "batch.jsonl" });
    });

    const MALFORMED = [
      JSON.stringify({ text: sample[0]!.text }),
      JSON.stringify({ text: sample[1]!.text }),
      "{ this is not json",
      JSON.stringify({ text: sample[2]!.text }),
    ].join("\n");

    it("refuses a file with a malformed row under stop, naming the row, and stores nothing", async () => {
      const before = await counts();
      const res = await upload(
        MALFORMED,
        { filename: "bad.jsonl", onMalformedRow: "stop" },
        "application/x-ndjson",
      );
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.json.error.message).toMatch(/row 3\b/);
      expect(await counts()).toEqual(before);
    });

    it("skips a malformed row under skip and reports it", async () => {
      const res = await upload(
        MALFORMED,
        { filename: "bad.jsonl", onMalformedRow: "skip" },
        "application/x-ndjson",
      );
      expect(res.status, res.text).toBe(202);
      expect(res.json).toMatchObject({
        totalRows: 3,
        skippedRows: 1,
        issues: [{ row: 3, message: expect.any(String) }],
      });
      const done = await settled(res.json.id);
      expect(done).toMatchObject({
        status: "succeeded",
        totalRows: 3,
        doneRows: 3,
        skippedRows: 1,
        issueCount: 1,
        issues: [{ row: 3 }],
      });
    });

    it("refuses a CSV row with a missing field under stop", async () => {
      const before = await counts();
      const res = await upload("id,text\na,Great phone\nb\nc,Awful\n", {
        filename: "missing.csv",
        onMalformedRow: "stop",
      });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.message).toMatch(/row 2\b/);
      expect(await counts()).toEqual(before);
    });
  });

  describe("bad input is a 4xx naming the field, and stores nothing", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["zero chunkSize", { chunkSize: 0 }, "chunkSize"],
      ["negative chunkSize", { chunkSize: -5 }, "chunkSize"],
      ["fractional chunkSize", { chunkSize: 2.5 }, "chunkSize"],
      ["too large chunkSize", { chunkSize: 5000 }, "chunkSize"],
      ["unknown task", { task: "no-such-task" }, "task"],
      ["unknown prompt version", { promptVersion: 9 }, "promptVersion"],
      ["unknown model provider", { model: "nope:model" }, "model"],
      ["unknown model configuration", { model: "no-such-config" }, "model"],
      ["unknown dataset version", { datasetVersionId: "no-such-version" }, "datasetVersionId"],
      ["bad policy", { onMalformedRow: "ignore" }, "onMalformedRow"],
      ["unknown field", { priority: "high" }, ""],
    ];

    it.each(cases)("%s", async (_name, change, field) => {
      const before = await counts();
      const res = await startJson({ task: "sentiment", datasetVersionId, model: "sim:default", ...change });
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (field) expect(res.text).toContain(field);
      else expect(res.json.error.details.issues[0].in).toBe("body");
      expect(await counts()).toEqual(before);
    });

    it("an upload with a bad chunkSize or no task names the query parameter", async () => {
      const before = await counts();
      for (const [query, field] of [
        [{ chunkSize: "0" }, "chunkSize"],
        [{ chunkSize: "-3" }, "chunkSize"],
        [{ task: "" }, "task"],
        [{ model: "nope:model" }, "model"],
      ] as const) {
        const res = await upload("id,text\na,Great\n", { filename: "x.csv", ...query });
        expect(res.status, res.text).toBe(400);
        expect(res.text).toContain(field);
      }
      expect(await counts()).toEqual(before);
    });

    it("no body at all, or a JSON body plus query parameters, is a 400", async () => {
      const none = await send(batches.POST, { as: editor });
      expect(none.status).toBe(400);
      const both = await send(batches.POST, {
        as: editor,
        query: { task: "sentiment" },
        body: JSON.stringify({ task: "sentiment", datasetVersionId, model: "sim:default" }),
        headers: { "content-type": "application/json" },
      });
      expect(both.status).toBe(400);
      expect(both.json.error.details.issues[0]).toMatchObject({ in: "query", path: "task" });
    });
  });

  describe("access", () => {
    it("another project sees none of it; a missing batch is a 404", async () => {
      const some = (await send(batches.GET, { as: viewer })).json.items[0].id as string;
      const beta = { bearer: w.keys.betaAdmin };
      for (const handler of [batch.GET, rowsRoute.GET, results.GET, events.GET]) {
        const res = await send(handler, { as: beta, params: { project: "beta", batch: some } });
        expect(res.status, `${handler.operation.path}`).toBe(404);
      }
      const cancelled = await send(cancel.POST, { as: beta, params: { project: "beta", batch: some } });
      expect(cancelled.status).toBe(404);
      const listed = await send(batches.GET, { as: beta, params: { project: "beta" } });
      expect(listed.json.items).toEqual([]);
      expect((await get("no-such-batch")).status).toBe(404);
    });
  });
});
