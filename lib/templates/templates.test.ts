// The content rules, YAML reading and writing, search, and loading a library directory.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/core/errors";
import { templateIssues } from "./check";
import { loadLibrary } from "./library";
import { searchTemplates } from "./search";
import { fixtureInput, fixtureRows, fixtureTemplate, fixtureYaml } from "./testing/fixtures";
import { parseTemplateYaml, templateToYaml } from "./yaml";

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError & { details: { issues: { path: string; message: string }[] } }).details
      .issues;
  }
  throw new Error("expected an InputError");
}

describe("templateIssues", () => {
  it("accepts a consistent template", () => {
    expect(templateIssues(fixtureTemplate())).toEqual([]);
  });

  it("names undeclared and unused variables and variables in the system prompt", () => {
    const doc = fixtureTemplate({
      prompt: { system: "Be brief with {{customer}}.", output: "Ticket: {{subject}} {{priority}}" },
    });
    expect(templateIssues(doc)).toEqual([
      { path: "prompt.output", message: "uses {{priority}}, which variables does not declare" },
      { path: "variables.properties.channel", message: "declared but the output prompt never uses it" },
      { path: "prompt.system", message: expect.stringContaining("{{customer}} is not filled") },
    ]);
  });

  it("names rows without the expected output or a required variable, and repeated ids", () => {
    const rows = fixtureRows();
    rows[3] = { id: "t4", channel: "chat", team: "bug" };
    rows[5] = { ...rows[5]!, team: " " };
    rows[7] = { ...rows[7]!, id: "t1" };
    // channel is optional (it has a default): a row may leave it out.
    rows[9] = { id: "t10", subject: "Where is my order?", team: "account" };
    expect(templateIssues(fixtureTemplate({ dataset: { expected: "team", id: "id", rows } }))).toEqual([
      { path: "dataset.rows.3.subject", message: "the required variable is missing" },
      { path: "dataset.rows.5.team", message: "the expected output is missing or empty" },
      { path: "dataset.rows.7.id", message: 'id "t1" repeats row 0' },
    ]);
  });

  it("names unknown metrics and bad metric options by their path", () => {
    const doc = fixtureTemplate({
      metrics: [
        { name: "exact_match", options: { caseSensitive: "yes" } },
        { name: "vibes", options: {} },
      ],
    });
    expect(templateIssues(doc).map((i) => i.path)).toEqual([
      "metrics.0.options.caseSensitive",
      "metrics.1.name",
    ]);
  });
});

describe("YAML", () => {
  it("round-trips a template through its YAML file", () => {
    const doc = fixtureTemplate();
    expect(parseTemplateYaml(templateToYaml(doc))).toEqual(doc);
    expect(templateToYaml(doc)).toContain("slug: ticket-routing");
  });

  it("refuses broken YAML, a non-mapping, a bad field and a broken rule, naming where", () => {
    expect(issuesOf(() => parseTemplateYaml("slug: [unclosed"))[0]!.message).toMatch(/not valid YAML/);
    expect(issuesOf(() => parseTemplateYaml("- a\n- b"))[0]!.message).toMatch(/mapping/);
    expect(issuesOf(() => parseTemplateYaml(fixtureYaml({ category: "poetry" as never })))).toEqual([
      expect.objectContaining({ in: "body", path: "category" }),
    ]);
    const rows = fixtureRows().map((r) => ({ ...r, team: "" }));
    expect(
      issuesOf(() => parseTemplateYaml(fixtureYaml({ dataset: { expected: "team", rows } })))[0],
    ).toEqual({
      in: "body",
      path: "dataset.rows.0.team",
      message: "the expected output is missing or empty",
    });
  });
});

describe("search", () => {
  const list = [
    { ...fixtureTemplate(), metricNames: ["exact_match"] },
    {
      ...fixtureTemplate({
        slug: "meeting-summary",
        name: "Meeting summary",
        category: "summarization",
        description: "Summarize a meeting transcript.",
        tags: ["notes"],
        notes: "Résumé for busy readers.",
      }),
      metricNames: ["rouge_l", "llm_judge"],
    },
  ];
  const slugs = (filter: Parameters<typeof searchTemplates>[1]) =>
    searchTemplates(list, filter).map((t) => t.slug);

  it("matches every word of the query in name, description, tags or notes, ignoring case and accents", () => {
    expect(slugs({ q: "SUPPORT team" })).toEqual(["ticket-routing"]);
    expect(slugs({ q: "resume busy" })).toEqual(["meeting-summary"]);
    expect(slugs({ q: "  " })).toEqual(["ticket-routing", "meeting-summary"]);
    expect(slugs({ q: "invoice" })).toEqual([]);
  });

  it("filters by category and by metric", () => {
    expect(slugs({ category: "summarization" })).toEqual(["meeting-summary"]);
    expect(slugs({ metric: "exact_match" })).toEqual(["ticket-routing"]);
    expect(slugs({ metric: "llm_judge", q: "meeting" })).toEqual(["meeting-summary"]);
    expect(slugs({ metric: "llm_judge", category: "routing" })).toEqual([]);
  });
});

describe("loadLibrary", () => {
  it("reads every YAML file of a directory once, and names a file whose slug is not its name", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "strop-library-"));
    writeFileSync(path.join(dir, "ticket-routing.yaml"), fixtureYaml());
    writeFileSync(path.join(dir, "README.md"), "not a template");
    expect(loadLibrary(dir).map((t) => t.slug)).toEqual(["ticket-routing"]);
    writeFileSync(path.join(dir, "other.yaml"), fixtureYaml());
    // Cached: the new file is not read until the process restarts.
    expect(loadLibrary(dir)).toHaveLength(1);
    const fresh = mkdtempSync(path.join(os.tmpdir(), "strop-library-"));
    writeFileSync(path.join(fresh, "other.yaml"), fixtureYaml(fixtureInput({ slug: "ticket-routing" })));
    expect(() => loadLibrary(fresh)).toThrow(/other\.yaml is invalid: its slug "ticket-routing"/);
  });
});
