// The document builder on schemas that trip OpenAPI tools: a schema whose input and output differ (so its
// input side is renamed) nested in another, and a fixed-length tuple. Every reference must resolve and
// every array must carry an item schema. And a published pattern that validators without the u flag read
// as the app does.

import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import type { Operation } from "@/lib/http/registry";
import { datasetNameSchema } from "@/lib/validation/datasets";

const inner = z.object({ on: z.boolean().default(false) }).meta({ id: "Inner" });
const outer = z.object({ inner, note: z.string() }).meta({ id: "Outer" });
const interval = z.object({ bounds: z.tuple([z.number(), z.number().nullable()]) }).meta({ id: "Interval" });

const operation = (method: Operation["method"], extra: Partial<Operation>): Operation => ({
  method,
  path: "/api/v1/things",
  operationId: `${method.toLowerCase()}Things`,
  summary: "Things",
  tags: ["things"],
  auth: "public",
  status: 200,
  ...extra,
});

function refs(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "$ref" && typeof child === "string" ? [child] : refs(child),
  );
}

describe("buildOpenApiDocument", () => {
  it("renames the input side of a schema and points every reference at a component that exists", () => {
    // Outer's input side is first stored referring to InnerInput; a later input schema holding Outer must
    // reuse that component, not point at a name given up while the names settled.
    const holder = z.object({ outer }).meta({ id: "Holder" });
    const doc = buildOpenApiDocument([
      operation("GET", { response: inner }),
      operation("POST", { body: outer }),
      operation("PUT", { body: holder }),
    ]);
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(["Inner", "InnerInput", "Outer", "Holder"]));
    const missing = refs(doc).filter((ref) => !names.includes(ref.replace("#/components/schemas/", "")));
    expect(missing).toEqual([]);
    expect(doc.components.schemas.Holder).toMatchObject({
      properties: { outer: { $ref: "#/components/schemas/Outer" } },
    });
  });

  it("gives a fixed-length tuple an item schema that allows what its positions allow", () => {
    const doc = buildOpenApiDocument([operation("GET", { response: interval })]);
    const bounds = (doc.components.schemas.Interval as { properties: { bounds: Record<string, unknown> } })
      .properties.bounds;
    expect(bounds).toMatchObject({ type: "array", minItems: 2, maxItems: 2 });
    expect(bounds.prefixItems).toEqual([{ type: "number" }, { type: ["number", "null"] }]);
    expect(bounds.items).toEqual({ anyOf: bounds.prefixItems });
  });

  it("declares every tag its operations use, known ones with a description", () => {
    const doc = buildOpenApiDocument([
      operation("GET", { tags: ["runs"], response: interval }),
      operation("POST", { tags: ["things"], response: interval }),
    ]);
    expect(doc.tags.map((tag) => tag.name)).toEqual(["runs", "things"]);
    expect(doc.tags[0]).toMatchObject({ "x-displayName": "Runs", description: expect.any(String) });
  });
});

describe("the dataset name pattern the document publishes", () => {
  it("refuses exactly what \\p{Cc} and / \\ ? # % cover, without needing the u flag", () => {
    const pattern = (z.toJSONSchema(datasetNameSchema) as { pattern: string }).pattern;
    expect(pattern).not.toContain("\\p{");
    for (let code = 0; code < 0x300; code++) {
      const char = String.fromCharCode(code);
      const refused = /\p{Cc}/u.test(char) || "/\\?#%".includes(char);
      expect(new RegExp(pattern).test(`a${char}b`), `U+${code.toString(16)}`).toBe(!refused);
      expect(datasetNameSchema.safeParse(`a${char}b`).success, `U+${code.toString(16)}`).toBe(!refused);
    }
  });
});
