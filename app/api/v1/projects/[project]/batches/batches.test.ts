// Batches over HTTP on both databases, from a dataset version (JSON): started with the offline
// simulator, listed, rows page by page and by view, downloads, the live events stream, cancelling, the
// response cache. Uploads, bad input and access: uploads.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { ApiWorld } from "@/lib/http/testing";
import * as cancel from "./[batch]/cancel/route";
import * as events from "./[batch]/events/route";
import * as results from "./[batch]/results/route";
import * as rowsRoute from "./[batch]/rows/route";
import * as batches from "./route";
import { csvCell, parseEvents, registerBatchesApiWorld, request, send } from "./testing";

describe.each(TEST_PROVIDERS)("batches API on %s", (provider) => {
  const world = registerBatchesApiWorld(provider);
  const { ROWS, sample, slowModel, get, settled, startJson } = world;
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  let datasetVersionId: string;
  beforeAll(() => {
    ({ w, editor, viewer, datasetVersionId } = world.state);
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
});
