// Datasets over HTTP on both databases: uploads (CSV, JSONL, JSON), the validation report, malformed
// files, the size limit (also for a streamed body without Content-Length), preview pages, download round
// trips, edits that create a new version, deletion and access.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { csvLine } from "@/lib/core/csv";
import { createRun, findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import * as examplesEdit from "./[dataset]/examples/route";
import * as dataset from "./[dataset]/route";
import * as download from "./[dataset]/versions/[version]/download/route";
import * as preview from "./[dataset]/versions/[version]/examples/route";
import * as version from "./[dataset]/versions/[version]/route";
import * as versions from "./[dataset]/versions/route";
import * as datasets from "./route";

type Body = string | ReadableStream<Uint8Array>;

interface SendOptions {
  as?: { bearer: string } | { cookie: string };
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: Body;
  headers?: Record<string, string>;
}

/** Calls a handler with a raw (possibly streamed) body and repeated query parameters. */
async function send(handler: RouteHandler, options: SendOptions): Promise<CallResult> {
  const { method, path } = handler.operation;
  const params = { project: "alpha", ...options.params };
  const url = new URL(
    path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(params[name as keyof typeof params] ?? ""),
    ),
    "http://localhost",
  );
  for (const [key, value] of Object.entries(options.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  const headers = new Headers(options.headers);
  if (options.as && "bearer" in options.as) headers.set("authorization", `Bearer ${options.as.bearer}`);
  if (options.as && "cookie" in options.as) headers.set("cookie", options.as.cookie);
  const init: RequestInit & { duplex?: "half" } = { method, headers, body: options.body };
  if (options.body instanceof ReadableStream) init.duplex = "half";
  const response = await handler(new Request(url, init), { params: Promise.resolve(params) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

/** A body streamed in `chunks` pieces of `size` bytes, without a Content-Length. */
function stream(chunks: number, size: number, onPull?: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  const piece = new TextEncoder().encode(`${"x".repeat(size - 1)}\n`);
  return new ReadableStream({
    pull(controller) {
      onPull?.();
      if (sent++ < chunks) controller.enqueue(piece);
      else controller.close();
    },
  });
}

const csv = (rows: string[][]) => rows.map(csvLine).join("");

function rows(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `q${i + 1}`,
    `Question ${i + 1}, with "quotes"`,
    i % 3 === 0 ? "yes" : "no",
    `note ${i + 1}`,
  ]);
}

const HEADER = ["id", "question", "label", "notes"];

describe.each(TEST_PROVIDERS)("datasets API on %s", (provider) => {
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = { bearer: w.keys.alphaEditor };
    viewer = { bearer: w.keys.alphaViewer };
  });
  afterAll(async () => {
    await w?.close();
  });
  afterEach(() => {
    delete process.env.STROP_MAX_UPLOAD_BYTES;
  });

  const counts = async () => ({
    datasets: await w.db.dataset.count(),
    versions: await w.db.datasetVersion.count(),
    examples: await w.db.example.count(),
  });

  const uploadCsv = (name: string, data: string, extra: Record<string, string | string[]> = {}) =>
    send(datasets.POST, {
      as: editor,
      query: { name, filename: `${name}.csv`, expected: "label", inputs: "question", id: "id", ...extra },
      body: data,
      headers: { "content-type": "text/csv" },
    });

  async function pages(name: string, v: number, limit: number) {
    const all: { id: string; rowNumber: number; input: Record<string, string>; expected: string }[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const res = await send(preview.GET, {
        as: viewer,
        params: { dataset: name, version: String(v) },
        query: { limit: String(limit), ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(limit);
      all.push(...res.json.items);
      cursor = res.json.nextCursor ?? undefined;
      calls++;
    } while (cursor);
    return { rows: all, calls };
  }

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

  describe("reading", () => {
    it("pages through a version in file order, and refuses a forged cursor", async () => {
      expect((await uploadCsv("paged", csv([HEADER, ...rows(120)]))).status).toBe(201);
      const { rows: all, calls } = await pages("paged", 1, 50);
      expect(calls).toBe(3);
      expect(all.map((r) => r.rowNumber)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(all.map((r) => r.id)).toEqual(rows(120).map((r) => r[0]));
      const forged = await send(preview.GET, {
        as: viewer,
        params: { dataset: "paged", version: "1" },
        query: { cursor: "bm9wZQ" },
      });
      expect(forged.status).toBe(400);
      expect(forged.json.error.details.issues[0].path).toBe("cursor");
    });

    it("gets a dataset by name or id with its versions, and a version's metadata", async () => {
      const byName = await send(dataset.GET, { as: viewer, params: { dataset: "paged" } });
      expect(byName.status).toBe(200);
      const byId = await send(dataset.GET, { as: viewer, params: { dataset: byName.json.id } });
      expect(byId.json).toEqual(byName.json);
      expect(byName.json.versions).toHaveLength(1);
      const meta = await send(version.GET, { as: viewer, params: { dataset: "paged", version: "1" } });
      expect(meta.json).toEqual(byName.json.versions[0]);
      const missing = await send(version.GET, { as: viewer, params: { dataset: "paged", version: "9" } });
      expect(missing.status).toBe(404);
    });

    it("downloads what was uploaded: CSV byte for byte, JSONL row for row", async () => {
      const original = csv([HEADER, ...rows(2500)]);
      expect((await uploadCsv("round-trip", original)).status).toBe(201);
      const asCsv = await send(download.GET, { as: viewer, params: { dataset: "round-trip", version: "1" } });
      expect(asCsv.status).toBe(200);
      expect(asCsv.headers.get("content-type")).toContain("text/csv");
      expect(asCsv.headers.get("content-disposition")).toBe('attachment; filename="round-trip-v1.csv"');
      expect(asCsv.text).toBe(original);
      const asJsonl = await send(download.GET, {
        as: viewer,
        params: { dataset: "round-trip", version: "1" },
        query: { format: "jsonl" },
      });
      const objects = asJsonl.text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(objects).toEqual(rows(2500).map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i]]))));
      // The JSONL download uploads again as the same rows.
      const again = await send(datasets.POST, {
        as: editor,
        query: {
          name: "round-trip-2",
          filename: "again.jsonl",
          expected: "label",
          inputs: "question",
          id: "id",
        },
        body: asJsonl.text,
      });
      expect(again.status).toBe(201);
      const back = await send(download.GET, {
        as: viewer,
        params: { dataset: "round-trip-2", version: "1" },
      });
      expect(back.text).toBe(original);
    });
  });

  describe("versions", () => {
    it("editing rows creates version 2 and leaves version 1 as it was", async () => {
      expect((await uploadCsv("edited", csv([HEADER, ...rows(5)]))).status).toBe(201);
      const v1Before = await pages("edited", 1, 100);
      const res = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({
          baseVersion: 1,
          upsert: [
            { id: "q2", expected: "maybe" },
            { id: "q9", input: { question: "New one", context: "ctx" }, expected: "yes" },
          ],
          delete: ["q4"],
        }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.version).toMatchObject({
        version: 2,
        parentVersion: 1,
        rowCount: 5,
        inputColumns: ["question", "context"],
        columns: [...HEADER, "context"],
        note: "edit of v1: 2 upserted, 1 deleted",
      });
      const v2 = await pages("edited", 2, 2);
      expect(v2.rows.map((r) => [r.id, r.rowNumber, r.expected])).toEqual([
        ["q1", 1, "yes"],
        ["q2", 2, "maybe"],
        ["q3", 3, "no"],
        ["q5", 4, "no"],
        ["q9", 5, "yes"],
      ]);
      expect((await pages("edited", 1, 100)).rows).toEqual(v1Before.rows);
      const v2csv = await send(download.GET, { as: viewer, params: { dataset: "edited", version: "2" } });
      expect(v2csv.text.split("\n")[5]).toBe("q9,New one,yes,,ctx");

      const stale = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({ baseVersion: 1, delete: ["q1"] }),
        headers: { "content-type": "application/json" },
      });
      expect(stale.status).toBe(409);
      expect(stale.json.error.details).toEqual({ latestVersion: 2 });
      const unknown = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({ baseVersion: 2, delete: ["nope"], upsert: [{ id: "new", expected: "x" }] }),
        headers: { "content-type": "application/json" },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.message).toContain('"nope"');
      const notInput = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({
          baseVersion: 2,
          upsert: [{ id: "q1", input: { question: "q", notes: "n" } }],
        }),
        headers: { "content-type": "application/json" },
      });
      expect(notInput.status).toBe(400);
      expect(notInput.json.error.message).toContain('"notes"');
      const splits = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({ baseVersion: 2, splits: { validation: 0.3, test: 0.3, seed: 1 } }),
        headers: { "content-type": "application/json" },
      });
      expect(splits.status).toBe(201);
      expect(splits.json.version).toMatchObject({
        version: 3,
        rowCount: 5,
        splits: { validation: 0.3, test: 0.3, seed: 1 },
      });
      expect(
        (await send(dataset.GET, { as: viewer, params: { dataset: "edited" } })).json.versions.map(
          (v: { version: number }) => v.version,
        ),
      ).toEqual([3, 2, 1]);
    });

    it("ids that stop being row numbers get an id column", async () => {
      const res = await send(datasets.POST, {
        as: editor,
        query: { name: "no-ids", filename: "n.csv", expected: "label" },
        body: "text,label\na,x\nb,y\nc,z\n",
      });
      expect(res.json.version.idColumn).toBeNull();
      const edit = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "no-ids" },
        body: JSON.stringify({ baseVersion: 1, delete: ["1"] }),
        headers: { "content-type": "application/json" },
      });
      expect(edit.json.version).toMatchObject({ idColumn: "id", columns: ["id", "text", "label"] });
      const text = (await send(download.GET, { as: viewer, params: { dataset: "no-ids", version: "2" } }))
        .text;
      expect(text).toBe("id,text,label\n2,b,y\n3,c,z\n");
    });

    it("uploads a new version with the latest mapping, and returns the same version for the same content", async () => {
      const next = rows(6);
      next[0]![2] = "changed";
      const upload = (data: string) =>
        send(versions.POST, {
          as: editor,
          params: { dataset: "faq" },
          query: { filename: "faq2.csv" },
          body: data,
        });
      const v2 = await upload(csv([HEADER, ...next]));
      expect(v2.status, v2.text).toBe(201);
      expect(v2.json).toMatchObject({
        created: true,
        version: {
          version: 2,
          rowCount: 6,
          inputColumns: ["question"],
          idColumn: "id",
          splits: { validation: 0.2, seed: 7 },
        },
      });
      const same = await upload(csv([HEADER, ...next]));
      expect(same.json).toMatchObject({ created: false, version: { id: v2.json.version.id, version: 2 } });
      const v1 = await pages("faq", 1, 100);
      expect(v1.rows).toHaveLength(12);
    });
  });

  describe("access and deletion", () => {
    it("viewers read but cannot write; other projects see nothing", async () => {
      const before = await counts();
      const upload = await send(datasets.POST, {
        as: viewer,
        query: { name: "v", filename: "v.csv", expected: "label" },
        body: csv([HEADER, ...rows(2)]),
      });
      expect(upload.status).toBe(403);
      const edit = await send(examplesEdit.PATCH, {
        as: viewer,
        params: { dataset: "faq" },
        body: JSON.stringify({ baseVersion: 2, delete: ["q1"] }),
        headers: { "content-type": "application/json" },
      });
      expect(edit.status).toBe(403);
      expect((await send(dataset.DELETE, { as: viewer, params: { dataset: "faq" } })).status).toBe(403);
      expect(
        (await send(download.GET, { as: viewer, params: { dataset: "faq", version: "1" } })).status,
      ).toBe(200);
      const outsider = { bearer: w.keys.betaAdmin };
      const other = await send(dataset.GET, { as: outsider, params: { dataset: "faq" } });
      expect(other.status).toBe(404);
      const otherDownload = await send(download.GET, {
        as: outsider,
        params: { dataset: "faq", version: "1" },
      });
      expect(otherDownload.status).toBe(404);
      expect(otherDownload.text).not.toContain("q1");
      const inBeta = await send(dataset.GET, { as: outsider, params: { project: "beta", dataset: "faq" } });
      expect(inBeta.status).toBe(404);
      expect(await counts()).toEqual(before);
    });

    it("deletes a dataset, but not one a run used", async () => {
      const del = await send(dataset.DELETE, { as: editor, params: { dataset: "paged" } });
      expect(del.status).toBe(204);
      expect((await send(dataset.GET, { as: viewer, params: { dataset: "paged" } })).status).toBe(404);

      const used = await send(dataset.GET, { as: viewer, params: { dataset: "faq" } });
      const task = await upsertTask(w.db, w.projects.alpha.id, { name: "faq-task", description: "" });
      const { version: prompt } = await findOrCreatePromptVersion(
        w.db,
        task.id,
        { systemPrompt: "s", outputPrompt: "{{question}}", demos: [], params: {} },
        { source: "file" },
      );
      await createRun(w.db, {
        projectId: w.projects.alpha.id,
        taskId: task.id,
        kind: "optimize",
        baselineVersionId: prompt.id,
        datasetVersionId: used.json.versions[1].id,
        config: {},
        seed: 1,
      });
      const refused = await send(dataset.DELETE, { as: editor, params: { dataset: "faq" } });
      expect(refused.status).toBe(409);
      const meta = await send(version.GET, { as: viewer, params: { dataset: "faq", version: "1" } });
      expect(meta.json.runCount).toBe(1);
    });
  });
});
