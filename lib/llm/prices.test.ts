import { describe, expect, it } from "vitest";
import { costUsd, lookupPrice, PRICES } from "./prices";

describe("lookupPrice", () => {
  it("finds exact entries", () => {
    expect(lookupPrice("openai:gpt-4o")).toEqual({ input: 2.5, output: 10 });
    expect(lookupPrice("openai:o4-mini")).toEqual({ input: 1.1, output: 4.4 });
  });

  it("matches dated names by the longest prefix", () => {
    expect(lookupPrice("openai:gpt-4o-mini-2024-07-18")).toEqual(PRICES["openai:gpt-4o-mini"]);
    expect(lookupPrice("openai:gpt-4o-2024-08-06")).toEqual(PRICES["openai:gpt-4o"]);
    expect(lookupPrice("openai:gpt-4.1-mini-2025-04-14")).toEqual(PRICES["openai:gpt-4.1-mini"]);
    expect(lookupPrice("anthropic:claude-sonnet-4-5-20250929")).toEqual(PRICES["anthropic:claude-sonnet-4"]);
    expect(lookupPrice("anthropic:claude-opus-4-5-20251101")).toEqual(PRICES["anthropic:claude-opus-4-5"]);
    expect(lookupPrice("vertex:gemini-2.5-flash-lite-preview-06-17")).toEqual(
      PRICES["vertex:gemini-2.5-flash-lite"],
    );
  });

  it("does not match across providers", () => {
    expect(lookupPrice("vertex:gpt-4o")).toBeUndefined();
    expect(lookupPrice("openai-compatible:gpt-4o")).toEqual({ input: 0, output: 0 });
  });

  it("prices sim and openai-compatible at 0 and unknown models as undefined", () => {
    expect(lookupPrice("sim:default")).toEqual({ input: 0, output: 0 });
    expect(lookupPrice("openai-compatible:llama3.2:3b")).toEqual({ input: 0, output: 0 });
    expect(lookupPrice("openai:some-future-model")).toBeUndefined();
  });

  it("lets the model config override the table", () => {
    expect(lookupPrice("openai:gpt-4o", { input: 1, output: 2 })).toEqual({ input: 1, output: 2 });
    expect(lookupPrice("openai-compatible:llama3", { input: 0.2, output: 0.2 })).toEqual({
      input: 0.2,
      output: 0.2,
    });
  });
});

describe("costUsd", () => {
  it("is USD per million tokens, 0 for an unknown price", () => {
    expect(
      costUsd({ input: 2.5, output: 10 }, { inputTokens: 1_000_000, outputTokens: 100_000 }),
    ).toBeCloseTo(3.5, 12);
    expect(costUsd({ input: 0.02, output: 0 }, { inputTokens: 500 })).toBeCloseTo(0.00001, 15);
    expect(costUsd(undefined, { inputTokens: 10, outputTokens: 10 })).toBe(0);
  });
});
