import { describe, expect, it } from "vitest";
import { createBudgetGuard } from "./budget-guard";
import { type Budget, BudgetExhausted, emptyUsage, type Usage } from "./meter";

const usage = (calls: number, tokens = 0, costUsd = 0): Usage => ({
  ...emptyUsage(),
  calls,
  inputTokens: tokens,
  costUsd,
});

function stopKind(
  budget: Budget,
  totals: Usage,
  pending: number,
  options: { reserved?: number; elapsedMs?: number } = {},
) {
  const guard = createBudgetGuard(budget, {
    totals,
    elapsedMs: () => options.elapsedMs ?? 0,
    reservedCalls: options.reserved,
  });
  try {
    guard.check(pending);
    return null;
  } catch (error) {
    if (error instanceof BudgetExhausted) return error.kind;
    throw error;
  }
}

describe("createBudgetGuard", () => {
  it("counts the calls of the batches in flight and of the reserve", () => {
    expect(stopKind({ calls: 100 }, usage(89), 10)).toBeNull();
    expect(stopKind({ calls: 100 }, usage(90), 10)).toBe("calls");
    expect(stopKind({ calls: 100 }, usage(79), 10, { reserved: 10 })).toBeNull();
    expect(stopKind({ calls: 100 }, usage(80), 10, { reserved: 10 })).toBe("calls");
  });

  it("projects tokens and cost of committed calls from the average call so far", () => {
    // 50 calls of 10 tokens so far, 50 more committed: 1,000 tokens projected.
    expect(stopKind({ tokens: 1001 }, usage(50, 500), 30, { reserved: 20 })).toBeNull();
    expect(stopKind({ tokens: 1000 }, usage(50, 500), 30, { reserved: 20 })).toBe("tokens");
    expect(stopKind({ costUsd: 2.01 }, usage(10, 0, 1), 10)).toBeNull();
    expect(stopKind({ costUsd: 2 }, usage(10, 0, 1), 10)).toBe("costUsd");
    // Nothing to average from yet: only the calls are projected.
    expect(stopKind({ tokens: 1 }, usage(0), 10)).toBeNull();
  });

  it("projects wall time for the reserve's calls only (calls in flight are already running)", () => {
    expect(stopKind({ wallSeconds: 3 }, usage(10), 1_000, { elapsedMs: 1_400, reserved: 10 })).toBeNull();
    expect(stopKind({ wallSeconds: 3 }, usage(10), 0, { elapsedMs: 1_500, reserved: 10 })).toBe(
      "wallSeconds",
    );
    expect(stopKind({ wallSeconds: 3 }, usage(0), 0, { elapsedMs: 2_999, reserved: 10 })).toBeNull();
  });

  it("stops keeping the reserve once the final test begins", () => {
    const totals = usage(85);
    const guard = createBudgetGuard({ calls: 100 }, { totals, elapsedMs: () => 0, reservedCalls: 20 });
    expect(() => guard.check(0)).toThrow(BudgetExhausted);
    guard.releaseReserve();
    expect(() => guard.check(10)).not.toThrow();
    expect(() => guard.check(15)).toThrow("budget exhausted: calls");
  });

  it("throws the abort reason of a cancelled run first", () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled by a user"));
    const guard = createBudgetGuard({}, { totals: usage(0), elapsedMs: () => 0, signal: controller.signal });
    expect(() => guard.check(0)).toThrow("cancelled by a user");
  });
});
