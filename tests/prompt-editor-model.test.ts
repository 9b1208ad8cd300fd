// The prompt editor's checks as you type and the request body it sends (components/prompts/editor):
// unknown and unused variables, bad names, duplicates, defaults of the wrong type, parameters that are
// not numbers; a stored version opens as the rows of its schema and goes back to the same schema.
import { describe, expect, it } from "vitest";
import {
  draftFromVersion,
  draftProblems,
  type EditorDraft,
  emptyDraft,
  emptyVariable,
  hasProblems,
  schemaFromRows,
  versionBody,
} from "@/components/prompts/editor/editor-model";
import { newVersionBodySchema } from "@/lib/validation/prompt-authoring";

function draft(patch: Partial<EditorDraft>): EditorDraft {
  return { ...emptyDraft(), ...patch };
}

describe("draftProblems", () => {
  it("flags variables the output prompt uses but the table lacks, and rows it does not use", () => {
    const problems = draftProblems(
      draft({
        outputPrompt: "Review: {{text}} in {{lang}}",
        variables: [emptyVariable("text"), emptyVariable("tone")],
      }),
    );
    expect(problems.unknown).toEqual(["lang"]);
    expect(problems.unused).toEqual(["tone"]);
    expect(hasProblems(problems)).toBe(true);
  });

  it("counts only the output prompt: the system prompt is sent as written", () => {
    const problems = draftProblems(draft({ systemPrompt: "Be {{tone}}.", outputPrompt: "Fixed text." }));
    expect(problems.unknown).toEqual([]);
    expect(hasProblems(problems)).toBe(false);
  });

  it("names bad names, duplicates and defaults of the wrong type, by row", () => {
    const rows = [
      { ...emptyVariable("1st"), key: "a" },
      { ...emptyVariable("n"), key: "b", type: "integer" as const, defaultValue: "2.5" },
      { ...emptyVariable("n"), key: "c" },
      { ...emptyVariable("flag"), key: "d", type: "boolean" as const, defaultValue: "yes" },
      { ...emptyVariable("count"), key: "e", type: "number" as const, defaultValue: "three" },
    ];
    const { rows: byRow } = draftProblems(
      draft({ outputPrompt: "{{n}} {{flag}} {{count}}", variables: rows }),
    );
    expect(byRow.a).toMatch(/starts with a letter/);
    expect(byRow.b).toMatch(/whole number/);
    expect(byRow.c).toMatch(/declared twice/);
    expect(byRow.d).toMatch(/true or false/);
    expect(byRow.e).toMatch(/is a number/);
  });

  it("flags model parameters that are not numbers, and fractional whole-number ones", () => {
    const problems = draftProblems(
      draft({
        outputPrompt: "x",
        params: { temperature: "warm", maxOutputTokens: "10.5", topP: "", seed: "7" },
      }),
    );
    expect(problems.params).toEqual({ temperature: "Not a number.", maxOutputTokens: "A whole number." });
  });
});

describe("versionBody", () => {
  it("is a body the API accepts: typed defaults, numbers as numbers, demos with every variable", () => {
    const rows = [
      emptyVariable("text"),
      { ...emptyVariable("limit"), type: "integer" as const, required: false, defaultValue: "3" },
      { ...emptyVariable("formal"), type: "boolean" as const, required: false, defaultValue: "false" },
    ];
    const body = versionBody(
      draft({
        outputPrompt: "{{text}} {{limit}} {{formal}}",
        variables: rows,
        params: { temperature: "0.2", maxOutputTokens: "", topP: "", seed: "7" },
        model: " sim:default ",
        demos: [{ key: "d", input: { text: "Great" }, output: "positive" }],
      }),
      "  Why  ",
    );
    expect(body.variables).toEqual({
      type: "object",
      properties: {
        text: { type: "string" },
        limit: { type: "integer", default: 3 },
        formal: { type: "boolean", default: false },
      },
      required: ["text"],
    });
    expect(body.params).toEqual({ temperature: 0.2, seed: 7 });
    expect(body.model).toBe("sim:default");
    expect(body.demos).toEqual([{ input: { text: "Great", limit: "", formal: "" }, output: "positive" }]);
    expect(body.message).toBe("Why");
    const parsed = newVersionBodySchema.safeParse({ ...body, demos: [] });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it("leaves an empty message out (a new task's first version gets the server's default)", () => {
    expect(versionBody(draft({ outputPrompt: "x" }), "   ").message).toBeUndefined();
  });
});

describe("draftFromVersion", () => {
  it("opens a stored version as its schema's rows, and saves the same schema back", () => {
    const schema = {
      type: "object" as const,
      properties: {
        text: { type: "string" as const, description: "The review" },
        level: { type: "string" as const, enum: ["low", "high"], default: "low" },
      },
      required: ["text"],
    };
    const opened = draftFromVersion({
      systemPrompt: "s",
      outputPrompt: "{{text}} {{level}}",
      variableSchema: schema,
      params: { temperature: 0 },
      model: null,
      demos: [],
    });
    expect(opened.variables.map((v) => [v.name, v.required, v.defaultValue])).toEqual([
      ["text", true, ""],
      ["level", false, "low"],
    ]);
    expect(opened.params.temperature).toBe("0");
    expect(schemaFromRows(opened.variables)).toEqual(schema);
    expect(hasProblems(draftProblems(opened))).toBe(false);
  });
});
