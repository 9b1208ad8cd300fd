import { describe, expect, it } from "vitest";
import {
  EVAL_STEPS,
  FINAL_TEST_STEPS,
  iterationSteps,
  PHASES,
  SAVE_WINNER_STEP,
  START_STEP,
} from "./step-ids";

describe("step ids", () => {
  it("builds every id of an iteration, the final test and an evaluation", () => {
    const it2 = iterationSteps(2);
    expect([
      START_STEP,
      it2.primaryInference(0),
      it2.baselineValidation(1),
      it2.baselineSummary,
      it2.optimizer(),
      it2.optimizer("mutate"),
      it2.refinedInference(3)(0),
      it2.refinedInference(3, "round-1")(2),
      it2.trainSummary(),
      it2.trainSummary("round-1"),
      it2.candidateValidation(1)(4),
      it2.acceptance,
      FINAL_TEST_STEPS.batch(0, "baseline")(1),
      FINAL_TEST_STEPS.batch(2, "best")(0),
      FINAL_TEST_STEPS.summary,
      EVAL_STEPS.batch(7),
      EVAL_STEPS.summary,
      SAVE_WINNER_STEP,
    ]).toEqual([
      "start",
      "iter-2/primary-inference/batch-0",
      "iter-2/baseline-evaluation/validation/batch-1",
      "iter-2/baseline-evaluation/summary",
      "iter-2/optimizer",
      "iter-2/optimizer/mutate",
      "iter-2/refined-inference/cand-3/batch-0",
      "iter-2/refined-inference/round-1/cand-3/batch-2",
      "iter-2/comparative-evaluation/train",
      "iter-2/comparative-evaluation/round-1/train",
      "iter-2/comparative-evaluation/cand-1/validation/batch-4",
      "iter-2/comparative-evaluation/acceptance",
      "final/test/chunk-0/baseline/batch-1",
      "final/test/chunk-2/best/batch-0",
      "final/test/summary",
      "eval/batch-7",
      "eval/summary",
      "finish/save-winner",
    ]);
  });

  it("names the phases results are recorded under", () => {
    expect([
      PHASES.incumbent(3, "train"),
      PHASES.incumbent(3, "validation"),
      PHASES.candidate(3, "train", 1),
      PHASES.candidate(3, "train", 1, "round-2"),
      PHASES.candidate(3, "validation", 0),
      PHASES.finalTestBaseline,
      PHASES.finalTestBest,
      PHASES.evaluation,
    ]).toEqual([
      "iter-3/train/incumbent",
      "iter-3/validation/incumbent",
      "iter-3/train/cand-1",
      "iter-3/train/round-2/cand-1",
      "iter-3/validation/cand-0",
      "final/test/baseline",
      "final/test/best",
      "eval/all",
    ]);
  });

  it.each(["", "Round", "a/b", "-x", "x".repeat(41)])(
    "refuses the label %j (ids must stay unambiguous)",
    (label) => {
      expect(() => iterationSteps(1).optimizer(label || " ")).toThrow("must match");
      expect(() => PHASES.candidate(1, "train", 0, label || " ")).toThrow("must match");
    },
  );
});
