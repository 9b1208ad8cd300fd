// The templates API on both databases: the library (a fixture directory) listed, searched and filtered;
// "use this template" creating a task, its first version, a normal dataset and metric configurations,
// all or nothing; saving a version as a template; YAML import (400 naming the field, 409 naming the
// slug) and export round trips; deletion; roles.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallOptions, createApiWorld } from "@/lib/http/testing";
import { fixtureRows, fixtureYaml } from "@/lib/templates/testing/fixtures";
import * as download from "../datasets/[dataset]/versions/[version]/download/route";
import * as metricConfigs from "../metric-configs/route";
import { authorTask, TYPED } from "../prompts/testing";
import * as exportRoute from "./[template]/export/route";
import * as one from "./[template]/route";
import * as use from "./[template]/use/route";
import * as importRoute from "./import/route";
import * as templates from "./route";

const SUMMARY = {
  slug: "meeting-summary",
  name: "Meeting summary",
  category: "summarization" as const,
  description: "Summarize a meeting transcript in three bullet points.",
  tags: ["notes"],
  notes: "For busy readers.",
  prompt: { system: "", output: "Transcript:\n{{transcript}}\nSummary:" },
  variables: {
    type: "object" as const,
    properties: { transcript: { type: "string" as const } },
    required: ["transcript"],
  },
  metrics: [{ name: "rouge_l" }, { name: "llm_judge", options: { rubric: "Faithful and short." } }],
  dataset: {
    expected: "summary",
    rows: Array.from({ length: 30 }, (_, i) => ({
      transcript: `Meeting ${i}: we agreed to ship.`,
      summary: "- ship",
    })),
  },
};

let libraryDir: string;
beforeAll(() => {
  libraryDir = mkdtempSync(path.join(os.tmpdir(), "strop-template-library-"));
  writeFileSync(path.join(libraryDir, "ticket-routing.yaml"), fixtureYaml());
  writeFileSync(path.join(libraryDir, "meeting-summary.yaml"), fixtureYaml(SUMMARY));
  process.env.STROP_TEMPLATE_LIBRARY_DIR = libraryDir;
});
afterAll(() => {
  delete process.env.STROP_TEMPLATE_LIBRARY_DIR;
});

describe.each(TEST_PROVIDERS)("templates API on %s", (provider) => {
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

  /** A call in project alpha. */
  const call = (handler: RouteHandler, options: CallOptions = {}) =>
    w.call(handler, { ...options, params: { project: "alpha", ...options.params } });
  const list = async (query: Record<string, string> = {}) => {
    const res = await call(templates.GET, { as: viewer, query });
    expect(res.status, res.text).toBe(200);
    return res.json.items.map((t: { slug: string }) => t.slug);
  };
  const importYaml = (yaml: string) =>
    call(importRoute.POST, { as: editor, rawBody: yaml, contentType: "application/yaml" });
  const counts = async () => ({
    tasks: await w.db.task.count(),
    versions: await w.db.promptVersion.count(),
    datasets: await w.db.dataset.count(),
    examples: await w.db.example.count(),
    metricConfigs: await w.db.metricConfig.count(),
  });

  it("lists the library, searched by words and filtered by category and metric", async () => {
    expect(await list()).toEqual(["meeting-summary", "ticket-routing"]);
    expect(await list({ q: "support TEAM" })).toEqual(["ticket-routing"]);
    expect(await list({ category: "summarization" })).toEqual(["meeting-summary"]);
    expect(await list({ metric: "llm_judge" })).toEqual(["meeting-summary"]);
    expect(await list({ metric: "llm_judge", category: "routing" })).toEqual([]);
    const res = await call(templates.GET, { as: viewer });
    expect(res.json.items[1]).toMatchObject({
      slug: "ticket-routing",
      source: "library",
      metrics: ["exact_match"],
      variables: ["subject", "channel"],
      rowCount: 30,
      createdAt: null,
    });
    const bad = await call(templates.GET, { as: viewer, query: { category: "poetry" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: "category" });
  });

  it("shows one template in full, and 404 names an unknown one", async () => {
    const res = await call(one.GET, { as: viewer, params: { template: "ticket-routing" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      notes: expect.stringContaining("one queue"),
      prompt: { output: expect.stringContaining("{{subject}}") },
      variableSchema: { required: ["subject"] },
      metricConfigs: [{ name: "exact_match", options: { caseSensitive: false }, weight: 1 }],
      dataset: { expected: "team", id: "id", columns: ["id", "subject", "channel", "team"] },
    });
    expect(res.json.dataset.preview).toHaveLength(20);
    const missing = await call(one.GET, { as: viewer, params: { template: "nope" } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain('"nope"');
  });

  it("uses a template: task, first version, a normal dataset and metric configurations; again as -2", async () => {
    const res = await call(use.POST, { as: editor, params: { template: "ticket-routing" } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      task: { name: "ticket-routing" },
      version: { version: 1 },
      dataset: { name: "ticket-routing", version: 1, rowCount: 30 },
      metricConfigs: [{ name: "ticket-routing.exact_match", metric: "exact_match" }],
      url: "/projects/alpha/prompts/ticket-routing",
    });
    const version = await w.db.promptVersion.findUniqueOrThrow({ where: { id: res.json.version.id } });
    expect(version.note).toBe("From template Ticket routing");
    expect(version.outputPrompt).toContain("{{channel}}");
    // The dataset downloads like an upload: every row, the optional variable filled where a row lacks it.
    const csv = await call(download.GET, {
      as: viewer,
      params: { dataset: "ticket-routing", version: "1" },
      query: { format: "jsonl" },
    });
    const rows = csv.text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows).toEqual(
      fixtureRows().map((r) => ({ id: r.id, subject: r.subject, channel: r.channel, team: r.team })),
    );
    const configs = await call(metricConfigs.GET, { as: viewer });
    expect(configs.json.items).toEqual([
      expect.objectContaining({ name: "ticket-routing.exact_match", options: { caseSensitive: false } }),
    ]);
    const audit = await w.db.auditLog.findMany({
      where: { projectId: w.projects.alpha.id, action: "template.used" },
    });
    expect(audit.map((a) => a.targetLabel)).toEqual(["ticket-routing"]);

    const again = await call(use.POST, { as: editor, params: { template: "ticket-routing" } });
    expect(again.status, again.text).toBe(201);
    expect(again.json.task.name).toBe("ticket-routing-2");
    expect(again.json.metricConfigs[0].name).toBe("ticket-routing-2.exact_match");
  });

  it("creates nothing when a later part fails (a taken metric configuration name)", async () => {
    const taken = await call(metricConfigs.POST, {
      as: editor,
      body: { name: "triage.exact_match", metric: "exact_match" },
    });
    expect(taken.status, taken.text).toBe(201);
    const before = await counts();
    const auditBefore = await w.db.auditLog.count();
    const res = await call(use.POST, {
      as: editor,
      params: { template: "ticket-routing" },
      body: { name: "triage" },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain("triage.exact_match");
    expect(await counts()).toEqual(before);
    expect(await w.db.auditLog.count()).toBe(auditBefore);
    expect(await w.db.task.findFirst({ where: { name: "triage" } })).toBeNull();
  });

  it("refuses viewers (audited) and names a bad task name", async () => {
    const refused = await call(use.POST, { as: viewer, params: { template: "ticket-routing" } });
    expect(refused.status).toBe(403);
    const bad = await call(use.POST, {
      as: editor,
      params: { template: "ticket-routing" },
      body: { name: "no spaces" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0]).toMatchObject({ in: "body", path: "name" });
  });

  it("imports a YAML file; refuses taken slugs (409) and bad files (400 naming the field path)", async () => {
    const yaml = fixtureYaml({ slug: "our-routing", name: "Our routing" });
    const res = await importYaml(yaml);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ slug: "our-routing", source: "project", rowCount: 30 });
    expect(await list({ q: "our routing" })).toEqual(["our-routing"]);

    const dup = await importYaml(yaml);
    expect(dup.status).toBe(409);
    expect(dup.json.error.message).toContain('"our-routing"');
    expect(dup.json.error.details.issues[0]).toMatchObject({ path: "slug" });
    const library = await importYaml(fixtureYaml());
    expect(library.status).toBe(409);
    expect(library.json.error.message).toContain('"ticket-routing"');

    const broken = await importYaml("slug: [oops");
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toMatch(/not valid YAML/);
    const field = await importYaml(
      fixtureYaml({ slug: "x1", metrics: [{ name: "exact_match", weight: -1 }] }),
    );
    expect(field.status).toBe(400);
    expect(field.json.error.details.issues[0]).toMatchObject({ in: "body", path: "metrics.0.weight" });
    const rows = fixtureRows();
    rows[2] = { id: "t3", team: "bug" };
    const rule = await importYaml(fixtureYaml({ slug: "x2", dataset: { expected: "team", id: "id", rows } }));
    expect(rule.status).toBe(400);
    expect(rule.json.error.details.issues[0]).toEqual({
      in: "body",
      path: "dataset.rows.2.subject",
      message: "the required variable is missing",
    });
    const empty = await importYaml("");
    expect(empty.status).toBe(400);
    expect((await call(importRoute.POST, { as: viewer, rawBody: yaml })).status).toBe(403);
  });

  it("exports library and project templates as YAML files that import back unchanged", async () => {
    const lib = await call(exportRoute.GET, { as: viewer, params: { template: "meeting-summary" } });
    expect(lib.status).toBe(200);
    expect(lib.headers.get("content-type")).toContain("text/yaml");
    expect(lib.headers.get("content-disposition")).toBe('attachment; filename="meeting-summary.yaml"');
    const renamed = lib.text.replace("slug: meeting-summary", "slug: meeting-summary-copy");
    expect((await importYaml(renamed)).status).toBe(201);
    const copy = await call(exportRoute.GET, { as: viewer, params: { template: "meeting-summary-copy" } });
    expect(copy.text).toBe(renamed);
  });

  it("saves a prompt version as a template, with a dataset's rows or none, and uses it", async () => {
    await authorTask(w, "reply-tone", [TYPED]);
    const uploaded = await call(use.POST, {
      as: editor,
      params: { template: "ticket-routing" },
      body: { name: "rows-source" },
    });
    expect(uploaded.status).toBe(201);
    const body = {
      task: "reply-tone",
      version: 1,
      slug: "reply-tone",
      name: "Reply tone",
      category: "rewriting",
      description: "Our reply prompt.",
    };
    const bare = await call(templates.POST, { as: editor, body });
    expect(bare.status, bare.text).toBe(201);
    expect(bare.json).toMatchObject({ slug: "reply-tone", rowCount: 0, metrics: ["exact_match"] });
    // (PostgreSQL's jsonb keeps object keys in its own order.)
    expect(bare.json.variables.sort()).toEqual(["limit", "ticket", "tone"]);
    // The dataset's rows do not give the version's `ticket` variable: refused, naming the row and field.
    const mismatch = await call(templates.POST, {
      as: editor,
      body: { ...body, slug: "reply-tone-2", dataset: { dataset: "rows-source" } },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.details.issues[0]).toMatchObject({ path: "dataset.rows.0.ticket" });
    const withRows = await call(templates.POST, {
      as: editor,
      body: {
        ...body,
        task: "rows-source",
        slug: "rows-template",
        dataset: { dataset: "rows-source", version: 1 },
      },
    });
    expect(withRows.status, withRows.text).toBe(201);
    expect(withRows.json.rowCount).toBe(30);
    expect((await call(templates.POST, { as: editor, body })).status).toBe(409);

    const used = await call(use.POST, { as: editor, params: { template: "reply-tone" } });
    expect(used.status, used.text).toBe(201);
    expect(used.json).toMatchObject({ task: { name: "reply-tone-2" }, dataset: null });
  });

  it("uses no template in an archived project (it would add a dataset)", async () => {
    const before = await counts();
    await w.db.project.update({ where: { id: w.projects.alpha.id }, data: { archivedAt: new Date() } });
    try {
      const res = await call(use.POST, { as: editor, params: { template: "ticket-routing" } });
      expect(res.status).toBe(409);
      expect(res.json.error.message).toContain("archived");
      expect(await counts()).toEqual(before);
    } finally {
      await w.db.project.update({ where: { id: w.projects.alpha.id }, data: { archivedAt: null } });
    }
  });

  it("deletes project templates only, editors only", async () => {
    expect((await importYaml(fixtureYaml({ slug: "to-delete" }))).status).toBe(201);
    expect((await call(one.DELETE, { as: viewer, params: { template: "to-delete" } })).status).toBe(403);
    expect((await call(one.DELETE, { as: editor, params: { template: "to-delete" } })).status).toBe(204);
    expect((await call(one.DELETE, { as: editor, params: { template: "to-delete" } })).status).toBe(404);
    const builtIn = await call(one.DELETE, { as: editor, params: { template: "ticket-routing" } });
    expect(builtIn.status).toBe(409);
    const audit = await w.db.auditLog.findMany({
      where: { action: { startsWith: "template." } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toContain("template.deleted");
  });
});
