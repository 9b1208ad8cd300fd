// Usage accounting and budgets. Totals are rebuilt from step results, so a resumed run counts the
// same as an uninterrupted one.
import type { LlmPort, LlmRequest } from "./ports";

export interface Usage {
  calls: number;
  cachedCalls: number;
  failedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface Budget {
  calls?: number;
  tokens?: number;
  costUsd?: number;
  wallSeconds?: number;
}

export const emptyUsage = (): Usage => ({
  calls: 0,
  cachedCalls: 0,
  failedCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
});

export function addUsage(into: Usage, more: Usage): Usage {
  into.calls += more.calls;
  into.cachedCalls += more.cachedCalls;
  into.failedCalls += more.failedCalls;
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.costUsd += more.costUsd;
  return into;
}

export class BudgetExhausted extends Error {
  constructor(readonly kind: keyof Budget) {
    super(`budget exhausted: ${kind}`);
    this.name = "BudgetExhausted";
  }
}

/** Which budget, if any, `usage` has reached. Cache hits cost nothing and do not count as calls. */
export function exhaustedBudget(budget: Budget, usage: Usage, elapsedMs: number): keyof Budget | null {
  if (budget.calls !== undefined && usage.calls >= budget.calls) return "calls";
  if (budget.tokens !== undefined && usage.inputTokens + usage.outputTokens >= budget.tokens) return "tokens";
  if (budget.costUsd !== undefined && usage.costUsd >= budget.costUsd) return "costUsd";
  if (budget.wallSeconds !== undefined && elapsedMs >= budget.wallSeconds * 1000) return "wallSeconds";
  return null;
}

/** An LlmPort that counts what passes through it into `usage`. */
export function meteredLlm(llm: LlmPort, usage: Usage): LlmPort {
  return {
    async generate(request: LlmRequest) {
      try {
        const response = await llm.generate(request);
        if (response.cached) usage.cachedCalls++;
        else usage.calls++;
        usage.inputTokens += response.usage.inputTokens;
        usage.outputTokens += response.usage.outputTokens;
        usage.costUsd += response.costUsd;
        return response;
      } catch (error) {
        usage.calls++;
        usage.failedCalls++;
        throw error;
      }
    },
    async embed(model, texts, signal) {
      const response = await llm.embed(model, texts, signal);
      usage.calls++;
      usage.inputTokens += response.usage.inputTokens;
      usage.costUsd += response.costUsd;
      return response;
    },
  };
}
