// The budget check before each batch of calls. It counts what is committed but not yet finished (the
// batches in flight, and the final test's reserve while the loop runs) at the average cost of a call so
// far, so a budget is never exceeded by more than the one batch it lets start.
import { type Budget, BudgetExhausted, exhaustedBudget, type Usage } from "./meter";

export interface BudgetGuard {
  /** Throws `BudgetExhausted` (or the abort reason) unless a batch may start with `pendingCalls` in flight. */
  check(pendingCalls: number): void;
  /** The final test has begun: it spends the reserve kept for it. */
  releaseReserve(): void;
}

export interface BudgetGuardOptions {
  /** The run's totals of finished steps (a live object). */
  totals: Usage;
  elapsedMs: () => number;
  /** Calls kept for the final test until `releaseReserve`. */
  reservedCalls?: number;
  signal?: AbortSignal;
}

export function createBudgetGuard(budget: Budget, options: BudgetGuardOptions): BudgetGuard {
  const { totals, signal } = options;
  let reserve = options.reservedCalls ?? 0;
  return {
    check(pendingCalls) {
      if (signal?.aborted) throw signal.reason;
      const committed = reserve + pendingCalls;
      // Tokens, cost and time of the committed calls, projected from the average call so far.
      const share = totals.calls === 0 ? 0 : committed / totals.calls;
      const projected: Usage = {
        ...totals,
        calls: totals.calls + committed,
        inputTokens: totals.inputTokens * (1 + share),
        outputTokens: totals.outputTokens * (1 + share),
        costUsd: totals.costUsd * (1 + share),
      };
      // Calls in flight take no time of their own beyond what is elapsing; the reserve's calls will.
      const reserveShare = totals.calls === 0 ? 0 : reserve / totals.calls;
      const exhausted = exhaustedBudget(budget, projected, options.elapsedMs() * (1 + reserveShare));
      if (exhausted) throw new BudgetExhausted(exhausted);
    },
    releaseReserve() {
      reserve = 0;
    },
  };
}
