// The OpenAPI document passes Spectral's `spectral:oas` ruleset (a maintained OpenAPI linter) with no
// error and no warning. A second case plants the faults the linter must catch, so a silent linter (a
// ruleset that failed to load, say) cannot pass the first.
import { Document, type ISpectralDiagnostic, Spectral } from "@stoplight/spectral-core";
import * as Parsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { beforeAll, describe, expect, it } from "vitest";
import { servedOpenApiJson } from "./openapi-served-document";

/** Spectral's severities: 0 error, 1 warning, 2 information, 3 hint. */
const WARNING = 1;

async function lint(json: string): Promise<ISpectralDiagnostic[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas, "recommended"]] } as Parameters<Spectral["setRuleset"]>[0]);
  return spectral.run(new Document(json, Parsers.Json, "openapi.json"));
}

const describeFinding = (d: ISpectralDiagnostic) =>
  `${d.severity === 0 ? "error" : "warning"} ${d.code} at ${d.path.join(".")}: ${d.message}`;

describe("the OpenAPI document against spectral:oas", () => {
  let served: string;
  beforeAll(async () => {
    served = await servedOpenApiJson();
  });

  it("has no error and no warning", async () => {
    const findings = (await lint(served)).filter((d) => d.severity <= WARNING);
    expect(findings.map(describeFinding)).toEqual([]);
  });

  it("reports an undescribed operation, an undeclared tag and an example that breaks its pattern", async () => {
    const doc = JSON.parse(served);
    const [path, operations] = Object.entries(doc.paths as Record<string, Record<string, never>>)[0]!;
    const [method, operation] = Object.entries(operations)[0]! as [string, Record<string, unknown>];
    delete operation.description;
    operation.tags = ["not-declared"];
    operation.parameters = [
      { name: "slug", in: "query", schema: { type: "string", pattern: "^[a-z]+$", example: "Not A Slug" } },
    ];
    const codes = (await lint(JSON.stringify(doc)))
      .filter((d) => d.path.slice(0, 3).join(" ") === `paths ${path} ${method}`)
      .map((d) => d.code);
    expect(codes).toEqual(
      expect.arrayContaining(["operation-description", "operation-tag-defined", "oas3-valid-schema-example"]),
    );
  });
});
