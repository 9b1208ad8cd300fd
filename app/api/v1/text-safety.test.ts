// Text that cannot be stored — a NUL character, a lone UTF-16 surrogate — is refused with a 400 that
// names where it is, in the one error envelope, and nothing is written: JSON bodies, query strings and
// path parameters (defineRoute, before the schema) and uploaded files (the row and column). On PostgreSQL
// a NUL used to reach the database and come back as a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import * as batches from "./projects/[project]/batches/route";
import * as examples from "./projects/[project]/datasets/[dataset]/examples/route";
import * as datasets from "./projects/[project]/datasets/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";
import * as run from "./projects/[project]/runs/[run]/route";
import * as runs from "./projects/[project]/runs/route";

const alpha = { project: "alpha" };

/** The refusal: 400, the envelope, the first issue where it should be. */
function expectRefused(res: CallResult, where: { in: string; path: string }, reason: RegExp) {
  expect(res.status, res.text).toBe(400);
  expect(res.json.error.code).toBe("invalid_input");
  expect(res.json.error.details.issues[0]).toEqual({ ...where, message: expect.stringMatching(reason) });
  expect(res.json.error.message).toContain(`${where.in}.${where.path}`);
}

describe.each(TEST_PROVIDERS)("NUL and invalid text on %s", (provider) => {
  let w: ApiWorld;
  let editor: { bearer: string };

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = { bearer: w.keys.alphaEditor };
    const task = await upsertTask(w.db, w.projects.alpha.id, { name: "echo", description: "" });
    await findOrCreatePromptVersion(
      w.db,
      task.id,
      { systemPrompt: "", outputPrompt: "Text: {{text}}", demos: [], params: {} },
      { source: "manual" },
    );
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  const stored = async () => ({
    modelConfigs: await w.db.modelConfig.count(),
    datasets: await w.db.dataset.count(),
    examples: await w.db.example.count(),
    batches: await w.db.batchJob.count(),
    batchRows: await w.db.batchRow.count(),
    audit: await w.db.auditLog.count(),
  });

  it("a model configuration's model id or name with NUL: 400 naming the field, nothing stored", async () => {
    const before = await stored();
    const model = await w.call(modelConfigs.POST, {
      as: editor,
      params: alpha,
      body: { name: "fast", model: "openai:gpt-4o-mini\u0000" },
    });
    expectRefused(model, { in: "body", path: "model" }, /NUL character/);
    const name = await w.call(modelConfigs.POST, {
      as: editor,
      params: alpha,
      body: { name: "fa\u0000st", model: "sim:default" },
    });
    expectRefused(name, { in: "body", path: "name" }, /NUL character/);
    const surrogate = await w.call(modelConfigs.POST, {
      as: editor,
      params: alpha,
      body: { name: "fast", model: "sim:\uD800" },
    });
    expectRefused(surrogate, { in: "body", path: "model" }, /lone surrogate/);
    expect(await stored()).toEqual(before);
  });

  it("query strings and path parameters: 400 naming them (the project slug before any lookup)", async () => {
    const query = await w.call(runs.GET, { as: editor, params: alpha, query: { task: "echo\u0000" } });
    expectRefused(query, { in: "query", path: "task" }, /NUL character/);
    const param = await w.call(run.GET, { as: editor, params: { ...alpha, run: "r\u0000" } });
    expectRefused(param, { in: "params", path: "run" }, /NUL character/);
    const slug = await w.call(run.GET, { as: editor, params: { project: "al\u0000pha", run: "x" } });
    expectRefused(slug, { in: "params", path: "project" }, /NUL character/);
    // Authentication still comes first.
    expect((await w.call(run.GET, { params: { project: "al\u0000pha", run: "x" } })).status).toBe(401);
  });

  it("a dataset upload with a NUL cell: 400 naming the row and column, nothing stored", async () => {
    const before = await stored();
    const csv = await w.call(datasets.POST, {
      as: editor,
      params: alpha,
      query: { name: "nul", format: "csv", expected: "label" },
      rawBody: "text,label\nfine,yes\nbad\u0000cell,no\n",
      contentType: "text/csv",
    });
    expect(csv.status, csv.text).toBe(400);
    expect(csv.json.error.details.problems).toEqual([
      { row: 2, line: 3, message: expect.stringMatching(/^column "text" contains a NUL character/) },
    ]);
    const jsonl = await w.call(datasets.POST, {
      as: editor,
      params: alpha,
      query: { name: "nul", format: "jsonl", expected: "label" },
      rawBody: `${JSON.stringify({ text: "fine", label: "yes" })}\n{"text":"ok","label":"\\ud800"}\n`,
      contentType: "application/x-ndjson",
    });
    expect(jsonl.status, jsonl.text).toBe(400);
    expect(jsonl.json.error.details.problems).toEqual([
      { row: 2, line: 2, message: expect.stringMatching(/^column "label" contains invalid Unicode/) },
    ]);
    const header = await w.call(datasets.POST, {
      as: editor,
      params: alpha,
      query: { name: "nul", format: "csv", expected: "label" },
      rawBody: "te\u0000xt,label\nfine,yes\n",
      contentType: "text/csv",
    });
    expect(header.status, header.text).toBe(400);
    expect(header.json.error.message).toMatch(/line 1: the name of column "te\\u0000xt" contains a NUL/);
    expect(await stored()).toEqual(before);
  });

  it("editing dataset rows with NUL: 400 naming the field", async () => {
    const created = await w.call(datasets.POST, {
      as: editor,
      params: alpha,
      query: { name: "clean", format: "csv", expected: "label", id: "id" },
      rawBody: "id,text,label\na,fine,yes\n",
      contentType: "text/csv",
    });
    expect(created.status, created.text).toBe(201);
    const before = await stored();
    const edit = await w.call(examples.PATCH, {
      as: editor,
      params: { ...alpha, dataset: "clean" },
      body: { baseVersion: 1, upsert: [{ id: "a", expected: "n\u0000o" }] },
    });
    expectRefused(edit, { in: "body", path: "upsert.0.expected" }, /NUL character/);
    expect(await stored()).toEqual(before);
  });

  it("a batch file with a NUL cell: 400 naming the row and column, nothing stored", async () => {
    const before = await stored();
    const res = await w.call(batches.POST, {
      as: editor,
      params: alpha,
      query: { task: "echo", model: "sim:default", filename: "rows.csv" },
      rawBody: "text\none\ntw\u0000o\nthree\n",
      contentType: "text/csv",
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.message).toMatch(/row 2 \(line 3\): column "text" contains a NUL character/);
    expect(res.json.error.details.problems).toEqual([
      { row: 2, line: 3, message: expect.stringMatching(/^column "text" contains a NUL/) },
    ]);
    expect(await stored()).toEqual(before);
  });
});
