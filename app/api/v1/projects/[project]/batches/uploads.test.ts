// Batches over HTTP on both databases, from an uploaded CSV or JSONL file (the raw body, the spec in the
// query string): malformed rows with stop and with skip; bad input (chunk sizes, unknown task, model or
// dataset version) where nothing may be stored; another project sees none of it.
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { ApiWorld } from "@/lib/http/testing";
import * as cancel from "./[batch]/cancel/route";
import * as events from "./[batch]/events/route";
import * as results from "./[batch]/results/route";
import * as batch from "./[batch]/route";
import * as rowsRoute from "./[batch]/rows/route";
import * as batches from "./route";
import { csvCell, registerBatchesApiWorld, send } from "./testing";

describe.each(TEST_PROVIDERS)("batch uploads over the API on %s", (provider) => {
  const world = registerBatchesApiWorld(provider);
  const { sample, get, settled, counts, startJson, upload } = world;
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  let datasetVersionId: string;
  beforeAll(() => {
    ({ w, editor, viewer, datasetVersionId } = world.state);
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
