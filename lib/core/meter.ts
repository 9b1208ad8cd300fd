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
  const none = Number.POSITIVE_INFINITY;
  if (usage.calls >= (budget.calls ?? none)) return "calls";
  if (usage.inputTokens + usage.outputTokens >= (budget.tokens ?? none)) return "tokens";
  if (usage.costUsd >= (budget.costUsd ?? none)) return "costUsd";
  if (elapsedMs >= (budget.wallSeconds ?? none) * 1000) return "wallSeconds";
  return null;
}

/**
 * How many failed provider calls a run tolerates: failed calls fail their examples (recorded and
 * counted) until more than `maxFailedFraction` of all calls so far have failed, after at least
 * `minCalls` calls. Then the run fails.
 */
export interface ErrorBudget {
  maxFailedFraction: number;
  minCalls: number;
}

/** Whether `usage` is over the error budget (never before `minCalls` calls). */
export function exceedsErrorBudget(budget: ErrorBudget, usage: Usage): boolean {
  // With no calls at all the share is NaN, never above the limit.
  return usage.calls >= budget.minCalls && usage.failedCalls / usage.calls > budget.maxFailedFraction;
}

export class ErrorBudgetExceeded extends Error {
  constructor(
    readonly budget: ErrorBudget,
    readonly usage: Usage,
    readonly lastError: string | null,
  ) {
    const share = (usage.failedCalls / Math.max(1, usage.calls)) * 100;
    super(
      `error budget exceeded: ${usage.failedCalls} of ${usage.calls} provider calls failed ` +
        `(${share.toFixed(0)}% > ${(budget.maxFailedFraction * 100).toFixed(0)}% allowed)` +
        (lastError ? `; last error: ${lastError}` : ""),
    );
    this.name = "ErrorBudgetExceeded";
  }
}

/**
 * The step check that enforces an error budget on the run's usage including the running step (the
 * totals when it started plus its own): throws `ErrorBudgetExceeded` inside the step, so the step (and
 * with it the run) fails.
 */
export function errorBudgetCheck(
  budget: ErrorBudget | undefined,
): ((usage: Usage, lastError: string | null) => void) | undefined {
  if (!budget) return undefined;
  return (usage, lastError) => {
    if (exceedsErrorBudget(budget, usage)) throw new ErrorBudgetExceeded(budget, { ...usage }, lastError);
  };
}

/**
 * An LlmPort that counts what passes through it into `usage`. `onError` sees every failed call
 * (after it was counted).
 */
export function meteredLlm(llm: LlmPort, usage: Usage, onError?: (error: unknown) => void): LlmPort {
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
        onError?.(error);
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

/** What was used between two snapshots of the totals. */
export function diffUsage(after: Usage, before: Usage): Usage {
  return {
    calls: after.calls - before.calls,
    cachedCalls: after.cachedCalls - before.cachedCalls,
    failedCalls: after.failedCalls - before.failedCalls,
    inputTokens: after.inputTokens - before.inputTokens,
    outputTokens: after.outputTokens - before.outputTokens,
    costUsd: after.costUsd - before.costUsd,
  };
}
