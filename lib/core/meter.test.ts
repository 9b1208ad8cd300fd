import { describe, expect, it } from "vitest";
import {
  addUsage,
  BudgetExhausted,
  diffUsage,
  ErrorBudgetExceeded,
  emptyUsage,
  errorBudgetCheck,
  exhaustedBudget,
  meteredLlm,
  type Usage,
} from "./meter";
import type { LlmPort } from "./ports";

const usage = (over: Partial<Usage>): Usage => ({ ...emptyUsage(), ...over });

describe("budgets", () => {
  it("say which budget is reached, at its limit and not before", () => {
    const at = usage({ calls: 10, inputTokens: 60, outputTokens: 40, costUsd: 1 });
    expect(exhaustedBudget({}, at, 1e9)).toBeNull();
    expect(exhaustedBudget({ calls: 10 }, at, 0)).toBe("calls");
    expect(exhaustedBudget({ calls: 11 }, at, 0)).toBeNull();
    expect(exhaustedBudget({ tokens: 100 }, at, 0)).toBe("tokens");
    expect(exhaustedBudget({ tokens: 101 }, at, 0)).toBeNull();
    expect(exhaustedBudget({ costUsd: 1 }, at, 0)).toBe("costUsd");
    expect(exhaustedBudget({ costUsd: 1.01 }, at, 0)).toBeNull();
    expect(exhaustedBudget({ wallSeconds: 2 }, at, 2_000)).toBe("wallSeconds");
    expect(exhaustedBudget({ wallSeconds: 2 }, at, 1_999)).toBeNull();
    expect(exhaustedBudget({ calls: 11, tokens: 101, costUsd: 2, wallSeconds: 2 }, at, 1_999)).toBeNull();
    const error = new BudgetExhausted("tokens");
    expect([error.name, error.message, error.kind]).toEqual([
      "BudgetExhausted",
      "budget exhausted: tokens",
      "tokens",
    ]);
  });

  it("fail a step once too many of the run's calls failed, naming the last error when there is one", () => {
    const check = errorBudgetCheck({ maxFailedFraction: 0.25, minCalls: 4 });
    expect(errorBudgetCheck(undefined)).toBeUndefined();
    expect(() => check?.(usage({ calls: 4, failedCalls: 1 }), null)).not.toThrow();
    expect(() => check?.(usage({ calls: 3, failedCalls: 3 }), null)).not.toThrow();
    let thrown: unknown;
    try {
      check?.(usage({ calls: 4, failedCalls: 2 }), null);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ErrorBudgetExceeded);
    expect((thrown as Error).name).toBe("ErrorBudgetExceeded");
    expect((thrown as Error).message).toBe(
      "error budget exceeded: 2 of 4 provider calls failed (50% > 25% allowed)",
    );
  });
});

describe("usage", () => {
  it("adds and subtracts every counter", () => {
    const a = usage({
      calls: 3,
      cachedCalls: 2,
      failedCalls: 1,
      inputTokens: 30,
      outputTokens: 3,
      costUsd: 0.5,
    });
    const b = usage({
      calls: 1,
      cachedCalls: 1,
      failedCalls: 1,
      inputTokens: 10,
      outputTokens: 1,
      costUsd: 0.25,
    });
    expect(addUsage({ ...a }, b)).toEqual({
      calls: 4,
      cachedCalls: 3,
      failedCalls: 2,
      inputTokens: 40,
      outputTokens: 4,
      costUsd: 0.75,
    });
    expect(diffUsage(a, b)).toEqual({
      calls: 2,
      cachedCalls: 1,
      failedCalls: 0,
      inputTokens: 20,
      outputTokens: 2,
      costUsd: 0.25,
    });
  });

  it("is counted as calls pass: cache hits apart, failures counted and reported, embeddings too", async () => {
    const replies = [{ cached: true }, { cached: false }];
    const inner: LlmPort = {
      async generate() {
        const reply = replies.shift();
        if (!reply) throw new Error("quota");
        return {
          text: "x",
          usage: { inputTokens: 5, outputTokens: 2 },
          latencyMs: 1,
          costUsd: 0.1,
          cached: reply.cached,
        };
      },
      async embed(_model, texts) {
        return { embeddings: texts.map(() => [1]), usage: { inputTokens: 7 }, costUsd: 0.01 };
      },
    };
    const counted = emptyUsage();
    const errors: unknown[] = [];
    const llm = meteredLlm(inner, counted, (e) => errors.push(e));
    const request = { model: "m", messages: [] };
    await llm.generate(request);
    await llm.generate(request);
    await expect(llm.generate(request)).rejects.toThrow("quota");
    await llm.embed("e", ["a", "b"]);
    expect(counted).toMatchObject({
      calls: 3,
      cachedCalls: 1,
      failedCalls: 1,
      inputTokens: 17,
      outputTokens: 4,
    });
    expect(counted.costUsd).toBeCloseTo(0.21, 10);
    expect(errors.map((e) => (e as Error).message)).toEqual(["quota"]);
    // Without an error listener a failure still counts and still throws.
    await expect(meteredLlm(inner, emptyUsage()).generate(request)).rejects.toThrow("quota");
  });
});
