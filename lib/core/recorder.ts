// The run recorder port: where per-example results live. Durable steps store what they computed here
// before they return, and return counts only (a step's stored result stays small: lib/core/step-plan.ts);
// what the loop needs later (scores for its statistics, the failing examples shown to the optimizer) is
// read back through `read`, inside a step, so a replay reads nothing.
import type { IterationRecord } from "./report";
import type { ScoredExample } from "./types";

export type Split = "train" | "validation" | "test" | "all";

export interface RunRecorder {
  /** Stores results under `phase`. Called again with the same rows on a retry: must be idempotent. */
  results(phase: string, split: Split, results: ScoredExample[]): Promise<void>;
  /** The stored results of `phase` for `ids` (ids without one are absent from the map). */
  read(phase: string, ids: readonly string[]): Promise<Map<string, ScoredExample>>;
  /** Stores a finished iteration with its candidates (idempotent, like `results`). */
  iteration(record: IterationRecord): Promise<void>;
}

/** The recorder an evaluation needs (no iterations). */
export type ResultStore = Pick<RunRecorder, "results" | "read">;
