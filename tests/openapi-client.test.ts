// A typed client generated from the OpenAPI document (openapi-typescript) accepts every request body the
// README and the API guides show: each curl example's JSON body becomes an object literal typed as its
// operation's request body in the generated `paths`, and the TypeScript compiler checks the file (excess
// properties, wrong types, missing fields and unknown paths are errors). A broken example proves the check
// bites.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiDocExample, apiDocExamples, examplesInMarkdown } from "./api-doc-examples";
import { servedOpenApiJson } from "./openapi-served-document";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The path template of the document that `urlPath` calls; literal segments beat parameters. */
function templateFor(urlPath: string, templates: string[]): string | undefined {
  const matching = templates.filter((template) => {
    const pattern = template
      .split("/")
      .map((segment) =>
        /^\{\w+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/");
    return new RegExp(`^${pattern}$`).test(urlPath);
  });
  const literalLength = (template: string) => template.replace(/\{\w+\}/g, "").length;
  return matching.sort((a, b) => literalLength(b) - literalLength(a))[0];
}

interface Checked {
  /** Problems, each starting with the example's source ("README.md:677: …"). */
  problems: string[];
}

/** Writes the examples as typed constants next to the generated types and type-checks them. */
function checkExamples(dir: string, examples: ApiDocExample[], templates: string[]): Checked {
  const problems: string[] = [];
  const lines = [
    'import type { paths } from "./openapi";',
    "type JsonBody<Op> = Op extends { requestBody?: infer R }",
    '  ? NonNullable<R> extends { content: { "application/json": infer B } } ? B : never',
    "  : never;",
  ];
  const sourceAtLine: string[] = [];
  examples.forEach((example, i) => {
    const template = templateFor(example.urlPath, templates);
    if (!template) {
      problems.push(`${example.source}: ${example.method} ${example.urlPath} is no operation of the API`);
      return;
    }
    const type = `JsonBody<paths[${JSON.stringify(template)}][${JSON.stringify(example.method.toLowerCase())}]>`;
    const text = `export const example${i}: ${type} = ${JSON.stringify(example.body, null, 2)};`;
    const first = lines.length;
    lines.push(...text.split("\n"));
    for (let line = first; line < lines.length; line++) sourceAtLine[line] = example.source;
  });
  const file = path.join(dir, "examples.ts");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    const where =
      diagnostic.file?.fileName === file ? (sourceAtLine[line] ?? "examples.ts") : "generated client";
    problems.push(`${where}: ${message}`);
  }
  return { problems };
}

describe("a client generated with openapi-typescript", () => {
  let dir: string;
  let templates: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "strop-openapi-client-"));
    const document = JSON.parse(await servedOpenApiJson());
    templates = Object.keys(document.paths);
    // Fields with a default stay optional, as they are in a request (openapi-typescript's default makes
    // them required, which suits responses only).
    const client = await openapiTS(document, { defaultNonNullable: false });
    writeFileSync(path.join(dir, "openapi.ts"), astToString(client));
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("accepts the request body of every curl example in the README and docs/api-*.md", () => {
    const examples = apiDocExamples(ROOT);
    // The guides' main writes are among them, so an extractor that finds nothing cannot pass.
    expect(examples.map((e) => `${e.method} ${templateFor(e.urlPath, templates)}`)).toEqual(
      expect.arrayContaining([
        "POST /api/v1/projects/{project}/runs",
        "POST /api/v1/projects/{project}/prompts",
        "POST /api/v1/projects/{project}/batches",
        "PATCH /api/v1/projects/{project}/datasets/{dataset}/examples",
        "POST /api/v1/projects/{project}/prompts/{task}/render",
      ]),
    );
    expect(checkExamples(dir, examples, templates).problems).toEqual([]);
  }, 120_000);

  it("rejects examples that do not match the API", () => {
    const guide = [
      "```sh",
      "export STROP=http://localhost:3000/api/v1/projects/support",
      'curl -X POST "$STROP/runs" -d \'{"task": 7, "datasetVersionId": "cm1", "models": {"task": "sim:default"}, "metrics": ["exact_match"]}\'',
      'curl -X POST "$STROP/prompts/triage/render" -d \'{"variables": {}, "colour": "red"}\'',
      "curl -X POST \"$STROP/no-such-thing\" -d '{}'",
      "```",
    ].join("\n");
    const { problems } = checkExamples(dir, examplesInMarkdown(guide, "guide.md"), templates);
    expect(problems.filter((p) => p.startsWith("guide.md:3: "))).not.toEqual([]);
    expect(problems.filter((p) => p.startsWith("guide.md:4: ") && p.includes("colour"))).not.toEqual([]);
    expect(problems).toContain(
      "guide.md:5: POST /api/v1/projects/support/no-such-thing is no operation of the API",
    );
  }, 120_000);
});
