// The ids of durable steps and the phases results are recorded under, built here only: the loop that
// makes them and the readers that look them up (results API, winner's save, progress, tests) never
// retype a string. A step id names a checkpoint (never renamed: a stored run resumes by it); a phase
// names the per-example results of one prompt on one set of examples.

/** The first step of every run: its start time, so elapsed time survives a resume. */
export const START_STEP = "start";

/** The step that saves a run's winner as a prompt version (the engine's, and the API's save). */
export const SAVE_WINNER_STEP = "finish/save-winner";

/** Labels strategies give their own proposal and scoring steps: lower-case words, digits and dashes. */
const LABEL = /^[a-z0-9][a-z0-9-]{0,39}$/;

function checkedLabel(label: string): string {
  if (!LABEL.test(label)) throw new Error(`step label "${label}" must match ${LABEL}`);
  return label;
}

const batch = (prefix: string) => (index: number) => `${prefix}/batch-${index}`;

/**
 * Step ids of iteration `n` (`iter-<n>/…`), by the five steps of the loop. Each evaluation is a series
 * of batch steps (inference and scoring of a batch of examples); a summary step reads the recorded
 * results back and returns the few numbers the loop decides on.
 */
export function iterationSteps(n: number) {
  const it = `iter-${n}`;
  return {
    /** 1. The incumbent on this iteration's training examples. */
    primaryInference: batch(`${it}/primary-inference`),
    /** 2. The incumbent on the validation split, then its summary (interval, failures, validation mean). */
    baselineValidation: batch(`${it}/baseline-evaluation/validation`),
    baselineSummary: `${it}/baseline-evaluation/summary`,
    /** 3. A proposal of the optimizer (a strategy may ask for more than one, each labelled). */
    optimizer: (label?: string) => (label ? `${it}/optimizer/${checkedLabel(label)}` : `${it}/optimizer`),
    /** 4. A candidate on training examples (a strategy's own subsets carry its label). */
    refinedInference: (candidate: number, label?: string) =>
      batch(`${it}/refined-inference/${label ? `${checkedLabel(label)}/` : ""}cand-${candidate}`),
    /** 5. The candidates' training means, their validation batches and the acceptance decision. */
    trainSummary: (label?: string) =>
      `${it}/comparative-evaluation/${label ? `${checkedLabel(label)}/` : ""}train`,
    candidateValidation: (candidate: number) =>
      batch(`${it}/comparative-evaluation/cand-${candidate}/validation`),
    acceptance: `${it}/comparative-evaluation/acceptance`,
  };
}

/** Step ids of the held-out test: chunk `k` of baseline and best, then the verdict. */
export const FINAL_TEST_STEPS = {
  batch: (chunk: number, prompt: "baseline" | "best") => batch(`final/test/chunk-${chunk}/${prompt}`),
  summary: "final/test/summary",
} as const;

/** Step ids of an evaluation (`strop eval`, eval runs). */
export const EVAL_STEPS = { batch: batch("eval"), summary: "eval/summary" } as const;

/** The phases per-example results are recorded under. */
export const PHASES = {
  /** The held-out test results of the prompt a run started from. */
  finalTestBaseline: "final/test/baseline",
  /** The held-out test results of the best prompt (absent when the baseline stayed best). */
  finalTestBest: "final/test/best",
  /** Every result of an evaluation run. */
  evaluation: "eval/all",
  /** An iteration's results of the incumbent on a split. */
  incumbent: (n: number, split: "train" | "validation") => `iter-${n}/${split}/incumbent`,
  /** An iteration's results of a candidate on a split (a strategy's own training subsets: labelled). */
  candidate: (n: number, split: "train" | "validation", candidate: number, label?: string) =>
    `iter-${n}/${split}/${label ? `${checkedLabel(label)}/` : ""}cand-${candidate}`,
} as const;

/** The names of the steps progress reports (what the UI shows as "where the run is"). */
export const PROGRESS_STEPS = {
  primaryInference: "primary inference",
  baselineEvaluation: "baseline evaluation",
  optimizer: "optimizer",
  refinedInference: "refined inference",
  comparativeEvaluation: "comparative evaluation",
  finalTestBaseline: "final test: baseline",
  finalTestBest: "final test: best",
  evaluation: "evaluation",
} as const;
