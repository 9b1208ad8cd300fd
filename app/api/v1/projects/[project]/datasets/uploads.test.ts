// Dataset uploads over HTTP on both databases (CSV, JSONL, JSON): the column mapping, the validation
// report, malformed files, the size limit (also for a streamed body without Content-Length).
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { ApiWorld } from "@/lib/http/testing";
import * as datasets from "./route";
import { csv, HEADER, registerDatasetsApiWorld, rows, send, stream } from "./testing";

describe.each(TEST_PROVIDERS)("dataset uploads on %s", (provider) => {
  const world = registerDatasetsApiWorld(provider);
  const { counts, uploadCsv, pages } = world;
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  beforeAll(() => {
    ({ w, editor, viewer } = world.state);
  });

  describe("upload", () => {
    it("creates a dataset from CSV with a column mapping, keeping unmapped columns", async () => {
      const res = await uploadCsv("faq", csv([HEADER, ...rows(12)]), {
        validation: "0.2",
        test: "0.3",
        seed: "7",
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json).toMatchObject({
        created: true,
        dataset: { name: "faq", versionCount: 1 },
        version: {
          version: 1,
          rowCount: 12,
          sourceName: "faq.csv",
          columns: HEADER,
          expectedColumn: "label",
          inputColumns: ["question"],
          idColumn: "id",
          splits: { validation: 0.2, test: 0.3, seed: 7, counts: { train: 6, validation: 2, test: 4 } },
          parentVersion: null,
          runCount: 0,
        },
      });
      const first = await pages("faq", 1, 5);
      expect(first.rows[0]).toEqual({
        id: "q1",
        rowNumber: 1,
        input: { question: 'Question 1, with "quotes"' },
        expected: "yes",
        extra: { notes: "note 1" },
      });
      const list = await send(datasets.GET, { as: viewer });
      expect(list.json.items.map((d: { name: string }) => d.name)).toContain("faq");
      const audit = await w.db.auditLog.findMany({ where: { action: { startsWith: "dataset." } } });
      expect(audit.map((a) => a.action).sort()).toEqual(["dataset.created", "dataset.version_created"]);
    });

    it("reads JSONL (format from the file name) and JSON (format from the query), every column an input by default", async () => {
      const jsonl = '{"text":"a","lang":"en","label":"x"}\n\n{"text":"b","lang":"fr","label":"y"}\n';
      const a = await send(datasets.POST, {
        as: editor,
        query: { name: "lines", filename: "lines.jsonl", expected: "label" },
        body: jsonl,
      });
      expect(a.status, a.text).toBe(201);
      expect(a.json.version).toMatchObject({
        rowCount: 2,
        columns: ["text", "lang", "label"],
        inputColumns: ["text", "lang"],
      });
      const json = JSON.stringify([
        { text: "a", label: "x", score: 1 },
        { text: "b", label: "y", score: 2 },
        { text: "c", label: "z", score: 3 },
      ]);
      const b = await send(datasets.POST, {
        as: editor,
        query: { name: "array", format: "json", expected: "label", inputs: ["text"] },
        body: json,
        headers: { "content-type": "application/json" },
      });
      expect(b.status, b.text).toBe(201);
      expect(b.json.version).toMatchObject({
        rowCount: 3,
        sourceName: "upload.json",
        inputColumns: ["text"],
      });
      const { rows: stored } = await pages("array", 1, 10);
      expect(stored[2]).toMatchObject({
        id: "3",
        input: { text: "c" },
        expected: "z",
        extra: { score: "3" },
      });
    });

    it("reports every bad row by number and line, and writes nothing", async () => {
      const data = rows(20);
      data[11]![2] = ""; // row 12: no label
      data[14]![0] = "q3"; // row 15: repeats row 3's id
      const before = await counts();
      const res = await uploadCsv("bad-rows", `${csv([HEADER, ...data])}q99,only two\n`);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toContain(
        'row 12 (line 13): expected output column "label" is missing or empty',
      );
      expect(res.json.error.details).toMatchObject({ problemCount: 3, truncated: false });
      expect(res.json.error.details.problems).toEqual([
        { row: 12, line: 13, message: 'expected output column "label" is missing or empty' },
        { row: 15, line: 16, message: 'id "q3" repeats row 3' },
        { row: 21, line: 22, message: "expected 4 fields, found 2" },
      ]);
      expect(await counts()).toEqual(before);
    });

    it("lists at most 100 problems and counts them all", async () => {
      const data = rows(150).map((r) => [r[0]!, r[1]!, "", r[3]!]);
      const res = await uploadCsv("many-problems", csv([HEADER, ...data]));
      expect(res.status).toBe(400);
      expect(res.json.error.details.problems).toHaveLength(100);
      expect(res.json.error.details).toMatchObject({ problemCount: 150, truncated: true });
    });

    it("names the line of a malformed CSV or JSONL file, and of a column the mapping names but the file lacks", async () => {
      const before = await counts();
      const quote = await uploadCsv(
        "broken",
        `${csv([HEADER, ...rows(3)])}q4,"never closed,no,x\nq5,a,b,c\n`,
      );
      expect(quote.status).toBe(400);
      expect(quote.json.error.message).toBe("broken.csv line 5: unterminated quoted field");
      expect(quote.json.error.details.line).toBe(5);
      const jsonl = await send(datasets.POST, {
        as: editor,
        query: { name: "broken-lines", filename: "b.jsonl", expected: "label" },
        body: '{"text":"a","label":"x"}\n{"text": oops}\n[1]\n',
      });
      expect(jsonl.status).toBe(400);
      expect(jsonl.json.error.details.problems).toEqual([
        { row: 2, line: 2, message: expect.stringMatching(/^not valid JSON/) },
        { row: 3, line: 3, message: "expected a JSON object" },
      ]);
      const json = await send(datasets.POST, {
        as: editor,
        query: { name: "broken-json", filename: "b.json", expected: "label" },
        body: '[{"text":"a","label":"x"},\n{"text":"b","label":"y"}\n',
      });
      expect(json.status).toBe(400);
      expect(json.json.error.message).toBe("b.json line 3: the array is not closed (missing ])");
      const column = await uploadCsv("no-column", csv([HEADER, ...rows(2)]), { expected: "answer" });
      expect(column.status).toBe(400);
      expect(column.json.error.message).toContain('column "answer" not in the file');
      expect(await counts()).toEqual(before);
    });

    it("refuses a non-UTF-8 file, an unknown format, a taken name and a bad mapping", async () => {
      const bytes = new Uint8Array([
        ...new TextEncoder().encode("text,label\ncaf"),
        0xe9,
        ...new TextEncoder().encode(",x\n"),
      ]);
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes);
          c.close();
        },
      });
      const latin = await send(datasets.POST, {
        as: editor,
        query: { name: "l1", filename: "l1.csv", expected: "label" },
        body,
      });
      expect(latin.status).toBe(400);
      expect(latin.json.error.message).toContain("not UTF-8 text");
      const format = await send(datasets.POST, {
        as: editor,
        query: { name: "fmt", expected: "label" },
        body: "a,label\n1,2\n",
      });
      expect(format.status).toBe(400);
      expect(format.json.error.details.issues[0].path).toBe("format");
      const taken = await uploadCsv("faq", csv([HEADER, ...rows(2)]));
      expect(taken.status).toBe(409);
      const mapping = await uploadCsv("map", csv([HEADER, ...rows(2)]), { inputs: ["question", "label"] });
      expect(mapping.status).toBe(400);
      expect(mapping.json.error.details.issues[0]).toMatchObject({ in: "query", path: "inputs.1" });
      const splits = await uploadCsv("splits", csv([HEADER, ...rows(2)]), {
        validation: "0.5",
        test: "0.45",
      });
      expect(splits.status).toBe(400);
    });

    it("refuses an upload over STROP_MAX_UPLOAD_BYTES with 413 and writes nothing, with or without Content-Length", async () => {
      process.env.STROP_MAX_UPLOAD_BYTES = "4096";
      const before = await counts();
      const declared = await send(datasets.POST, {
        as: editor,
        query: { name: "big", filename: "big.csv", expected: "label" },
        body: "x".repeat(5000),
      });
      expect(declared.status).toBe(413);
      expect(declared.json.error).toMatchObject({ code: "payload_too_large", details: { limitBytes: 4096 } });
      // Streamed, no Content-Length: refused once 4096 bytes have passed, without reading the rest.
      let pulls = 0;
      const streamed = await send(datasets.POST, {
        as: editor,
        query: { name: "big", filename: "big.csv", expected: "label" },
        body: stream(10_000, 1024, () => pulls++),
      });
      expect(streamed.status).toBe(413);
      expect(pulls).toBeLessThan(20);
      // A Content-Length that understates the body changes nothing.
      const lying = await send(datasets.POST, {
        as: editor,
        query: { name: "big", filename: "big.csv", expected: "label" },
        body: stream(100, 1024),
        headers: { "content-length": "10" },
      });
      expect(lying.status).toBe(413);
      expect(await counts()).toEqual(before);
      const small = await uploadCsv("small", csv([HEADER, ...rows(3)]));
      expect(small.status).toBe(201);
    });
  });
});
