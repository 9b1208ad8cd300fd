// Authoring prompts through the API on both databases: tasks (create with a first version, describe,
// delete — refused while a label points into it), new immutable versions with typed variables checked
// against the template, demos and the serving model, duplicates, the task's page, and versions written
// by runs and the CLI (no declared variables: derived).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createPromptVersion, upsertModelConfig } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import { taskFileSourceSchema } from "@/lib/validation/task-file";
import * as details from "./projects/[project]/prompts/[task]/details/route";
import * as label from "./projects/[project]/prompts/[task]/labels/[label]/route";
import * as task from "./projects/[project]/prompts/[task]/route";
import * as duplicate from "./projects/[project]/prompts/[task]/versions/[version]/duplicate/route";
import * as taskFile from "./projects/[project]/prompts/[task]/versions/[version]/task-file/route";
import * as versions from "./projects/[project]/prompts/[task]/versions/route";
import * as prompts from "./projects/[project]/prompts/route";
import { TYPED, UNTYPED } from "./projects/[project]/prompts/testing";

const paths = (res: { json: { error: { details: { issues: { path: string }[] } } } }) =>
  res.json.error.details.issues.map((i) => i.path).sort();

describe.each(TEST_PROVIDERS)("prompt authoring API on %s", (provider) => {
  let w: ApiWorld;
  let editor: Credential;
  const alpha = { project: "alpha" };
  const write = (body: unknown, name = "triage", as: Credential = editor) =>
    w.call(versions.POST, { params: { ...alpha, task: name }, body, as });

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = w.users.editor.credential;
    await upsertModelConfig(w.db, w.projects.alpha.id, { name: "fast", modelId: "sim:default" });
  });
  afterAll(async () => {
    await w?.close();
  });

  it("creates a task with its typed first version, audited; a taken name is a 409", async () => {
    const res = await w.call(prompts.POST, {
      params: alpha,
      body: { name: "triage", description: "Sorts tickets", version: { ...TYPED, model: "fast" } },
      as: editor,
    });
    expect(res.status).toBe(201);
    expect(res.json.task).toMatchObject({ name: "triage", description: "Sorts tickets", versionCount: 1 });
    expect(res.json.version).toMatchObject({
      version: 1,
      source: "manual",
      message: "Typed variables",
      variablesDeclared: true,
      model: "fast",
      createdBy: "editor@example.com",
      variables: ["ticket", "tone", "limit"],
      variableSchema: TYPED.variables,
    });
    const audit = await w.db.auditLog.findMany({
      where: { action: { startsWith: "prompt." } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["prompt.task_created", "prompt.version_created"]);
    const again = await w.call(prompts.POST, { params: alpha, body: { name: "triage" }, as: editor });
    expect([again.status, again.json.error.code]).toEqual([409, "conflict"]);
    const bad = await w.call(prompts.POST, {
      params: alpha,
      body: { name: "no spaces", version: { message: "x" } },
      as: editor,
    });
    expect(paths(bad)).toEqual(["name", "version.outputPrompt"]);
    const emptyTask = await w.call(prompts.POST, { params: alpha, body: { name: "empty" }, as: editor });
    expect(emptyTask.json).toMatchObject({ task: { name: "empty", versionCount: 0 }, version: null });
  });

  it("names unknown and unused variables, demos lacking or mistyping one, and a bad schema, all at once", async () => {
    const unknownAndUnused = await write({
      ...TYPED,
      outputPrompt: "Ticket: {{ticket}} about {{topic}} (limit {{limit}})",
    });
    expect(unknownAndUnused.status).toBe(400);
    expect(unknownAndUnused.json.error.details.issues).toEqual([
      { in: "body", path: "outputPrompt", message: "uses {{topic}}, which `variables` does not declare" },
      {
        in: "body",
        path: "variables.properties.tone",
        message: '"tone" is declared but the output prompt never uses it',
      },
    ]);
    const demos = await write({
      ...TYPED,
      demos: [
        { input: { tone: "casual", limit: "2" }, output: "ok" },
        { input: { ticket: "hi", tone: "rude", limit: "two" }, output: "ok" },
      ],
    });
    expect(paths(demos)).toEqual(["demos.0.input.ticket", "demos.1.input.limit", "demos.1.input.tone"]);
    const schema = await write({
      ...TYPED,
      variables: {
        ...TYPED.variables,
        properties: { ...TYPED.variables!.properties, limit: { type: "integer", default: "3" } },
      },
    });
    expect(paths(schema)).toEqual(["variables.properties.limit.default"]);
    const missing = await write({ outputPrompt: "{{x}}" });
    expect(paths(missing)).toEqual(["message"]);
    expect(await w.db.promptVersion.count({ where: { task: { name: "triage" } } })).toBe(1);
  });

  it("checks the serving model like run specs: a configuration, a usable id; no endpoint or key variable", async () => {
    expect((await write({ ...UNTYPED, model: "sim:default" })).json.model).toBe("sim:default");
    const unknown = await write({ ...UNTYPED, model: "nope" });
    expect(unknown.json.error.details.issues).toEqual([
      expect.objectContaining({
        path: "model",
        message: expect.stringContaining('no model configuration named "nope"'),
      }),
    ]);
    const noKey = await write({ ...UNTYPED, model: "openai:gpt-4o-mini" });
    expect(noKey.status).toBe(400);
    expect(noKey.json.error.details.issues[0]).toMatchObject({ path: "model" });
    expect(noKey.json.error.details.issues[0].message).toContain("OPENAI_API_KEY");
    const inline = await write({
      ...UNTYPED,
      model: { id: "openai:gpt-4o", baseURL: "http://169.254.169.254" },
    });
    expect(paths(inline)).toEqual(["model"]);
    const untyped = await write(UNTYPED);
    expect(untyped.json).toMatchObject({
      variablesDeclared: false,
      model: null,
      variableSchema: { type: "object", properties: { ticket: { type: "string" } }, required: ["ticket"] },
    });
  });

  it("duplicates a version into a new one with its content, variables and model", async () => {
    const copy = await w.call(duplicate.POST, {
      params: { ...alpha, task: "triage", version: "1" },
      as: editor,
    });
    expect(copy.status).toBe(201);
    const original = await w.call(versions.GET, {
      params: { ...alpha, task: "triage" },
      query: { limit: "100" },
      as: editor,
    });
    const first = original.json.items.find((v: { version: number }) => v.version === 1);
    expect(copy.json).toMatchObject({
      message: "Duplicate of version 1",
      contentHash: first.contentHash,
      variableSchema: TYPED.variables,
      model: "fast",
    });
    expect(copy.json.version).toBe(original.json.items[0].version);
    const named = await w.call(duplicate.POST, {
      params: { ...alpha, task: "triage", version: "1" },
      body: { message: "Try again" },
      as: editor,
    });
    expect(named.json.message).toBe("Try again");
    expect(
      (await w.call(duplicate.POST, { params: { ...alpha, task: "triage", version: "99" }, as: editor }))
        .status,
    ).toBe(404);
  });

  it("versions from runs and the CLI keep working: derived variables, labelled like any other", async () => {
    const triage = await w.db.task.findFirstOrThrow({ where: { name: "triage" } });
    const fromRun = await createPromptVersion(
      w.db,
      triage.id,
      { systemPrompt: "From a run", outputPrompt: "Ticket: {{ticket}}", demos: [], params: {} },
      { source: "optimization", note: "winner" },
    );
    const read = await w.call(details.GET, {
      params: { ...alpha, task: "triage" },
      as: w.users.viewer.credential,
    });
    expect(read.json.versions[0]).toMatchObject({
      version: fromRun.version,
      variablesDeclared: false,
      message: "winner",
      createdBy: null,
    });
    const labelled = await w.call(label.PUT, {
      params: { ...alpha, task: "triage", label: "production" },
      body: { version: fromRun.version },
      as: editor,
    });
    expect(labelled.status).toBe(200);
    const page = await w.call(details.GET, {
      params: { ...alpha, task: "triage" },
      query: { limit: "2" },
      as: editor,
    });
    expect(page.json).toMatchObject({
      task: { name: "triage", description: "Sorts tickets" },
      labels: [{ name: "production", version: fromRun.version }],
      latest: { version: fromRun.version },
      pendingChangeRequests: 0,
    });
    expect(page.json.versions).toHaveLength(2);
    expect(typeof page.json.nextCursor).toBe("string");
  });

  it("exports any version as a task file strop optimize accepts", async () => {
    const res = await w.call(taskFile.GET, {
      params: { ...alpha, task: "triage", version: "1" },
      as: w.users.viewer.credential,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/yaml");
    expect(res.headers.get("content-disposition")).toContain('filename="triage-v1.yaml"');
    expect(res.text).toMatch(/^# Strop task file: task "triage", version 1/);
    const file = taskFileSourceSchema.parse(parseYaml(res.text));
    expect(file).toMatchObject({
      name: "triage",
      prompt: { system: TYPED.systemPrompt, output: TYPED.outputPrompt, params: { temperature: 0.2 } },
      dataset: { path: "dataset.csv", expected: "expected" },
      models: { task: { config: "fast" }, optimizer: { config: "fast" } },
      metrics: [{ name: "exact_match" }],
    });
    const custom = await w.call(taskFile.GET, {
      params: { ...alpha, task: "triage", version: "1" },
      query: { dataset: "data/tickets.csv" },
      as: editor,
    });
    expect(parseYaml(custom.text).dataset.path).toBe("data/tickets.csv");
    expect(
      (await w.call(taskFile.GET, { params: { ...alpha, task: "triage", version: "77" }, as: editor }))
        .status,
    ).toBe(404);
  });

  it("changes the description; deletes a task only once no label points into it", async () => {
    const patched = await w.call(task.PATCH, {
      params: { ...alpha, task: "triage" },
      body: { description: "Routes tickets" },
      as: editor,
    });
    expect(patched.json).toMatchObject({ name: "triage", description: "Routes tickets" });
    expect(
      paths(await w.call(task.PATCH, { params: { ...alpha, task: "triage" }, body: {}, as: editor })),
    ).toEqual(["description"]);
    const refused = await w.call(task.DELETE, { params: { ...alpha, task: "triage" }, as: editor });
    expect(refused.status).toBe(409);
    expect(refused.json.error.details.labels).toEqual(["production"]);
    expect(await w.db.task.count({ where: { name: "triage" } })).toBe(1);
    await w.call(label.DELETE, { params: { ...alpha, task: "triage", label: "production" }, as: editor });
    const deleted = await w.call(task.DELETE, { params: { ...alpha, task: "triage" }, as: editor });
    expect(deleted.status).toBe(204);
    expect(await w.db.task.count({ where: { name: "triage" } })).toBe(0);
    expect(
      await w.db.auditLog.count({ where: { action: "prompt.task_deleted", targetLabel: "triage" } }),
    ).toBe(1);
    expect((await w.call(task.DELETE, { params: { ...alpha, task: "triage" }, as: editor })).status).toBe(
      404,
    );
    expect((await write(UNTYPED)).status).toBe(404);
  });

  it("viewers cannot author: 403 and nothing written", async () => {
    const before = await w.db.promptVersion.count();
    for (const as of [w.users.viewer.credential, { bearer: w.keys.alphaViewer }]) {
      expect((await write(UNTYPED, "empty", as)).status).toBe(403);
      expect((await w.call(prompts.POST, { params: alpha, body: { name: "x" }, as })).status).toBe(403);
    }
    expect(await w.db.promptVersion.count()).toBe(before);
  });
});
