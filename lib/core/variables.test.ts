import { describe, expect, it } from "vitest";
import {
  changedVariableNames,
  checkTemplateAgainstSchema,
  checkVariableSchema,
  effectiveVariableSchema,
  requiredVariableChanges,
  schemaFromTemplate,
  type VariableSchema,
  validateVariables,
} from "./variables";

const schema: VariableSchema = {
  type: "object",
  properties: {
    question: { type: "string", description: "What the user asked" },
    tone: { type: "string", enum: ["formal", "casual"], default: "formal" },
    limit: { type: "integer" },
    ratio: { type: "number" },
    verbose: { type: "boolean", default: false },
    note: { type: "string" },
  },
  required: ["question", "limit"],
};

describe("schemaFromTemplate", () => {
  it("makes every {{variable}} of the output prompt a required string, in order of first use", () => {
    expect(schemaFromTemplate({ outputPrompt: "Q: {{ question }} in {{lang}} ({{question}})" })).toEqual({
      type: "object",
      properties: { question: { type: "string" }, lang: { type: "string" } },
      required: ["question", "lang"],
    });
    expect(schemaFromTemplate({ outputPrompt: "no variables" })).toEqual({
      type: "object",
      properties: {},
      required: [],
    });
  });

  it("is the effective schema of a version without a declared one, never of one with it", () => {
    const prompt = { outputPrompt: "{{a}}" };
    expect(effectiveVariableSchema(null, prompt).required).toEqual(["a"]);
    expect(effectiveVariableSchema(schema, prompt)).toBe(schema);
  });
});

describe("checkTemplateAgainstSchema", () => {
  it("names variables the template uses but the schema lacks, and declared ones it never uses", () => {
    const result = checkTemplateAgainstSchema(
      { outputPrompt: "{{question}} {{topic}} {{limit}} {{ratio}} {{verbose}}" },
      schema,
    );
    expect(result).toEqual({ unknown: ["topic"], unused: ["tone", "note"] });
  });

  it("finds nothing wrong when template and schema agree", () => {
    const prompt = { outputPrompt: "{{a}} and {{b}}" };
    expect(checkTemplateAgainstSchema(prompt, schemaFromTemplate(prompt))).toEqual({
      unknown: [],
      unused: [],
    });
  });
});

describe("validateVariables", () => {
  it("applies defaults, coerces numbers and booleans from text, and renders every variable as text", () => {
    const result = validateVariables(schema, { question: "Why?", limit: "3", ratio: 0.5, verbose: "true" });
    expect(result).toEqual({
      ok: true,
      values: { question: "Why?", tone: "formal", limit: 3, ratio: 0.5, verbose: true },
      text: { question: "Why?", tone: "formal", limit: "3", ratio: "0.5", verbose: "true", note: "" },
    });
  });

  it("names a missing required variable (null counts as missing)", () => {
    expect(validateVariables(schema, { limit: 1, question: null })).toEqual({
      ok: false,
      issues: [{ variable: "question", message: "is required" }],
    });
  });

  it("names mistyped values: every problem at once", () => {
    const result = validateVariables(schema, {
      question: 42,
      limit: "2.5",
      ratio: "abc",
      verbose: "yes",
      tone: "rude",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      { variable: "question", message: "expected a string, got number" },
      { variable: "tone", message: 'must be one of "formal", "casual"' },
      { variable: "limit", message: 'expected an integer, got "2.5"' },
      { variable: "ratio", message: 'expected a number, got "abc"' },
      { variable: "verbose", message: 'expected true or false, got "yes"' },
    ]);
  });

  it("refuses values for variables the schema does not declare", () => {
    const result = validateVariables(schema, { question: "q", limit: 1, qestion: "typo" });
    expect(result).toEqual({
      ok: false,
      issues: [{ variable: "qestion", message: "is not a variable of this prompt version" }],
    });
  });

  it("does not read empty or blank text, Infinity or arrays as numbers", () => {
    for (const bad of ["", "  ", "Infinity", [1], {}, true]) {
      const result = validateVariables(schema, { question: "q", limit: bad });
      expect(result.ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it("does not take inherited object keys for variables", () => {
    const result = validateVariables(schema, JSON.parse('{"question":"q","limit":1,"__proto__":{"x":1}}'));
    expect(result).toEqual({
      ok: false,
      issues: [{ variable: "__proto__", message: "is not a variable of this prompt version" }],
    });
    expect(validateVariables(schema, { question: "q", limit: 1, toString: "x" }).ok).toBe(false);
  });
});

describe("checkVariableSchema", () => {
  it("accepts a well-formed schema", () => {
    expect(checkVariableSchema(schema)).toEqual([]);
  });

  it("names bad names, defaults and enum values of the wrong type, and unknown required names", () => {
    const bad: VariableSchema = {
      type: "object",
      properties: {
        "1st": { type: "string" },
        count: { type: "integer", default: 1.5, enum: [1, "2"] },
        mode: { type: "string", enum: ["a", "b"], default: "c" },
        flag: { type: "boolean", enum: [] },
      },
      required: ["count", "missing"],
    };
    expect(checkVariableSchema(bad)).toEqual([
      {
        path: "properties.1st",
        message: "use letters, digits, '_', '.' or '-', starting with a letter or '_'",
      },
      { path: "properties.count.enum.1", message: "is not of type integer" },
      { path: "properties.count.default", message: "is not of type integer" },
      { path: "properties.mode.default", message: "is not one of the enum's values" },
      { path: "properties.flag.enum", message: "list at least one value" },
      { path: "required.1", message: '"missing" is not a property' },
    ]);
  });
});

describe("requiredVariableChanges", () => {
  const before: VariableSchema = {
    type: "object",
    properties: { question: { type: "string" }, limit: { type: "integer" }, lang: { type: "string" } },
    required: ["question", "limit", "lang"],
  };

  it("finds nothing between a schema and itself or one that only adds optional variables", () => {
    const relaxed: VariableSchema = {
      ...before,
      properties: { ...before.properties, extra: { type: "string" } },
    };
    expect(changedVariableNames(requiredVariableChanges(before, before))).toEqual([]);
    expect(changedVariableNames(requiredVariableChanges(before, relaxed))).toEqual([]);
  });

  it("names variables callers must now send, ones the new version would refuse, and retyped ones", () => {
    const after: VariableSchema = {
      type: "object",
      properties: { question: { type: "string" }, limit: { type: "string" }, topic: { type: "string" } },
      required: ["question", "limit", "topic"],
    };
    const changes = requiredVariableChanges(before, after);
    expect(changes).toEqual({ added: ["topic"], removed: ["lang"], retyped: ["limit"] });
    expect(changedVariableNames(changes)).toEqual(["lang", "limit", "topic"]);
  });

  it("does not count a required variable with a default as one callers must send", () => {
    const withDefault: VariableSchema = {
      type: "object",
      properties: { ...before.properties, topic: { type: "string", default: "general" } },
      required: [...before.required, "topic"],
    };
    expect(changedVariableNames(requiredVariableChanges(before, withDefault))).toEqual([]);
  });
});
