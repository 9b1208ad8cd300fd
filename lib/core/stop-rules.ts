// When the loop stops early: the target reached, no failing examples left, or `patience` iterations in
// a row without an accepted candidate. (Budgets stop it too: lib/core/budget-guard.ts.)
import type { StopReason } from "./report";

export interface StopSettings {
  maxIterations: number;
  /** Iterations in a row without an accepted candidate before stopping. */
  patience: number;
  targetScore?: number;
}

export function targetReached(stop: StopSettings, validationScore: number): boolean {
  return validationScore >= (stop.targetScore ?? Number.POSITIVE_INFINITY);
}

/** Iterations in a row without a winner, after this one. */
export function staleCount(previous: number, accepted: boolean): number {
  return accepted ? 0 : previous + 1;
}

/** Why the loop stops after an iteration, if it does. */
export function stopAfterIteration(
  stop: StopSettings,
  stale: number,
  incumbentValidation: number,
): StopReason | null {
  if (stale >= stop.patience) return "patience";
  if (targetReached(stop, incumbentValidation)) return "target_reached";
  return null;
}
