// Every file of the built-in library (lib/templates/library/*.yaml): a valid template of its file's slug,
// with at least 30 example rows that give every required variable and the expected output, prompts and
// declared variables that agree, registered metrics with valid options; and the library as a whole: at
// least 20 templates covering every category at least twice, slugs and names unique.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TEMPLATE_CATEGORIES, templateDocumentSchema } from "@/lib/validation/templates";
import { templateIssues } from "./check";
import { LIBRARY_DIR, libraryFiles, loadLibrary } from "./library";

const files = libraryFiles(LIBRARY_DIR);
const MIN_ROWS = 30;

describe.each(files.map((file) => [file]))("library template %s", (file) => {
  const parsed = templateDocumentSchema.safeParse(parse(readFileSync(path.join(LIBRARY_DIR, file), "utf8")));

  it("is a template document whose slug is its file name", () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.slug).toBe(file.replace(/\.yaml$/, ""));
  });

  it(`has at least ${MIN_ROWS} example rows`, () => {
    expect(parsed.data?.dataset.rows.length ?? 0).toBeGreaterThanOrEqual(MIN_ROWS);
  });

  it("follows the content rules: variables, rows, demos, metrics", () => {
    expect(parsed.data ? templateIssues(parsed.data) : ["unparsed"]).toEqual([]);
  });
});

describe("the library as a whole", () => {
  it("loads every file, sorted by name, each slug and name once", () => {
    const templates = loadLibrary(LIBRARY_DIR);
    expect(templates.map((t) => `${t.slug}.yaml`).sort()).toEqual(files);
    expect(new Set(templates.map((t) => t.slug)).size).toBe(templates.length);
    expect(new Set(templates.map((t) => t.name.toLowerCase())).size).toBe(templates.length);
    expect(templates.map((t) => t.name)).toEqual(
      templates.map((t) => t.name).sort((a, b) => a.localeCompare(b)),
    );
  });

  it("has at least 20 templates covering every category at least twice", () => {
    const templates = loadLibrary(LIBRARY_DIR);
    expect(templates.length).toBeGreaterThanOrEqual(20);
    const perCategory = Object.fromEntries(
      TEMPLATE_CATEGORIES.map((c) => [c, templates.filter((t) => t.category === c).length]),
    );
    const thin = Object.entries(perCategory).filter(([, n]) => n < 2);
    expect(thin, `categories with fewer than 2 templates: ${JSON.stringify(perCategory)}`).toEqual([]);
  });
});
