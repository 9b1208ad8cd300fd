// The loop's phases through runOptimization: when each stop rule fires, what an iteration records,
// which results are reused, and the options a strategy receives.
import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import type { OptimizerStrategy, TriedPrompt } from "./optimizer";
import type { Progress } from "./ports";
import { PROGRESS_STEPS } from "./step-ids";
import { exactScorer } from "./testing/evaluation-context";
import { type RuleWorldOptions, ruleExamples, ruleWorld } from "./testing/rule-world";
import { type OptimizationSettings, runOptimization } from "./workflow";

const base: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 4 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 2,
  failures: 8,
  splits: { validation: 0.3, test: 0.3 },
  acceptance: { confidence: 0.95, minGain: 0, bootstrapSamples: 500, validateTop: 2 },
  stop: { maxIterations: 6, patience: 2 },
  budget: {},
  seed: 7,
  batchSize: 10,
};

/** Candidates that only rename the prompt: never better, so never accepted. */
const neverBetter: RuleWorldOptions = {
  optimizerReply: (_brief, call) =>
    JSON.stringify({
      candidates: [
        { systemPrompt: `Answer, try ${call}.`, outputPrompt: "Item: {{item}}", rationale: "same" },
      ],
    }),
};

async function optimize(overrides: Partial<OptimizationSettings> = {}, world: RuleWorldOptions = {}) {
  const steps = createMemoryStepRunner();
  const recorder = createMemoryRecorder();
  const progress: Progress[] = [];
  const report = await runOptimization({ ...base, ...overrides }, ruleExamples(200), {
    llm: ruleWorld(world).llm,
    steps,
    recorder,
    clock: { now: () => 0 },
    scorer: exactScorer,
    optimizer: critiqueRewrite,
    progress: (p) => progress.push(p),
  });
  return { report, steps, recorder, progress };
}

describe("stop rules in the loop", () => {
  it.each([1, 2, 3])(
    "with patience %i, stops after exactly that many iterations without a winner",
    async (patience) => {
      const { report } = await optimize({ stop: { maxIterations: 6, patience } }, neverBetter);
      expect(report.stopReason).toBe("patience");
      expect(report.iterations).toHaveLength(patience);
      expect(report.bestOrigin).toBeNull();
    },
  );

  it("stops before any proposal when the baseline already reaches the target", async () => {
    const { report, steps } = await optimize({ stop: { maxIterations: 5, patience: 2, targetScore: 0.1 } });
    expect(report.stopReason).toBe("target_reached");
    expect(report.iterations).toEqual([]);
    expect(steps.executed).not.toContain("iter-1/optimizer");
    expect(report.validation.baseline).toBeGreaterThan(0.1);
    expect(report.validation.best).toBe(report.validation.baseline);
  });

  it("stops when the incumbent fails no training example (every group's rule is stated)", async () => {
    const perfect = await runOptimization(
      { ...base, prompt: { ...base.prompt, systemPrompt: "RULE:alpha RULE:beta RULE:gamma RULE:delta" } },
      ruleExamples(200),
      {
        llm: ruleWorld().llm,
        steps: createMemoryStepRunner(),
        recorder: createMemoryRecorder(),
        clock: { now: () => 0 },
        scorer: exactScorer,
        optimizer: critiqueRewrite,
      },
    );
    expect(perfect.stopReason).toBe("no_failures");
    expect(perfect.iterations).toEqual([]);
  });

  it("runs maxIterations when nothing else stops it", async () => {
    const { report } = await optimize({ stop: { maxIterations: 3, patience: 5 } }, neverBetter);
    expect(report.stopReason).toBe("max_iterations");
    expect(report.iterations.map((it) => it.index)).toEqual([1, 2, 3]);
  });
});

describe("an iteration", () => {
  it("records its sizes, the incumbent's scores and its own usage, and hands each record to the recorder", async () => {
    const { report, recorder } = await optimize();
    expect(recorder.iterations).toEqual(report.iterations);
    const [first] = report.iterations;
    expect(first).toMatchObject({ index: 1, trainExamples: 80, validationExamples: 60 });
    expect(first?.incumbentTrain.n).toBe(80);
    // Iteration 1 paid for the incumbent (80 + 60), one proposal and each candidate on the minibatch.
    expect(first?.usage.calls).toBeGreaterThanOrEqual(80 + 60 + 1 + 2 * 80);
    const loopCalls = report.iterations.reduce((sum, it) => sum + it.usage.calls, 0);
    expect(report.usage.calls - loopCalls).toBe(2 * 60);
  });

  it("reuses the incumbent's results: an unchanged incumbent and an accepted winner are never scored again", async () => {
    const unchanged = await optimize({ stop: { maxIterations: 2, patience: 5 } }, neverBetter);
    expect(
      unchanged.steps.executed.filter((id) =>
        /^iter-2\/(primary-inference|baseline-evaluation\/validation)\//.test(id),
      ),
    ).toEqual([]);
    const improving = await optimize();
    expect(improving.report.iterations[0]?.accepted).not.toBeNull();
    expect(
      improving.steps.executed.filter((id) =>
        /^iter-2\/(primary-inference|baseline-evaluation\/validation)\//.test(id),
      ),
    ).toEqual([]);
    expect(improving.steps.executed).toContain("iter-2/baseline-evaluation/summary");
  });

  it("gives the strategy its options", async () => {
    const world: RuleWorldOptions = { optimizerReply: () => "not JSON" };
    const { report } = await optimize(
      { stop: { maxIterations: 1, patience: 1 }, optimizerOptions: { attempts: 2 } },
      world,
    );
    expect(report.iterations[0]?.rejectedProposals).toHaveLength(2);
    await expect(optimize({ optimizerOptions: { attempts: 0 } })).rejects.toThrow();
  });

  it("reports progress by the named steps, the final test last", async () => {
    const { progress } = await optimize({ stop: { maxIterations: 1, patience: 1 } });
    const steps = [...new Set(progress.map((p) => p.step))];
    expect(steps).toEqual([
      PROGRESS_STEPS.primaryInference,
      PROGRESS_STEPS.baselineEvaluation,
      PROGRESS_STEPS.optimizer,
      PROGRESS_STEPS.refinedInference,
      PROGRESS_STEPS.comparativeEvaluation,
      PROGRESS_STEPS.finalTestBaseline,
      PROGRESS_STEPS.finalTestBest,
    ]);
    expect(progress.at(-1)).toMatchObject({
      step: PROGRESS_STEPS.finalTestBest,
      done: 10,
      total: 10,
      iteration: 0,
    });
  });

  it("reports the split sizes, folds included", async () => {
    expect((await optimize({ stop: { maxIterations: 1, patience: 1 } })).report.splits).toEqual({
      train: 80,
      validation: 60,
      test: 60,
      folds: null,
    });
    const folds = await optimize({
      splits: { validation: 0.2, test: 0.3, folds: 4 },
      stop: { maxIterations: 2, patience: 5 },
    });
    expect(folds.report.splits).toEqual({ train: 140, validation: 0, test: 60, folds: 4 });
    expect(folds.report.iterations.map((it) => [it.trainExamples, it.validationExamples])).toEqual([
      [105, 35],
      [105, 35],
    ]);
  });
});

describe("what the loop keeps and records", () => {
  it("hands each iteration the history of scored candidates, the winner marked", async () => {
    const histories: TriedPrompt[][] = [];
    const watching: OptimizerStrategy = {
      ...(critiqueRewrite as OptimizerStrategy),
      iterate: (search, state, options) => {
        histories.push(structuredClone([...search.history]));
        return critiqueRewrite.iterate(search, state as null, options as never);
      },
    };
    const world: RuleWorldOptions = {
      optimizerReply: (brief, call) =>
        JSON.stringify({
          candidates: [
            {
              systemPrompt: `${(brief.current as { systemPrompt: string }).systemPrompt} RULE:alpha RULE:beta`,
              outputPrompt: "Item: {{item}}",
              rationale: `r${call}`,
            },
            {
              systemPrompt: `${(brief.current as { systemPrompt: string }).systemPrompt} RULE:gamma`,
              outputPrompt: "Item: {{item}}",
              rationale: "weaker",
            },
            { systemPrompt: "no variable", outputPrompt: "Item", rationale: "broken" },
            { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", rationale: "the baseline again" },
          ],
        }),
    };
    const report = await runOptimization(
      {
        ...base,
        candidates: 4,
        acceptance: { ...base.acceptance, validateTop: 1 },
        stop: { maxIterations: 2, patience: 5 },
      },
      ruleExamples(200),
      {
        llm: ruleWorld(world).llm,
        steps: createMemoryStepRunner(),
        recorder: createMemoryRecorder(),
        clock: { now: () => 0 },
        scorer: exactScorer,
        optimizer: watching,
      },
    );
    const [first] = report.iterations;
    expect(first?.candidates.map((c) => [c.status, c.rejectReason])).toEqual([
      ["evaluated", undefined],
      ["evaluated", undefined],
      ["rejected", "drops template variable(s): item"],
      ["rejected", "repeats a prompt already tried"],
    ]);
    expect(first?.accepted).toBe(0);
    expect(histories[0]).toEqual([]);
    expect(histories[1]).toEqual([
      {
        iteration: 1,
        prompt: first?.candidates[0]?.prompt,
        rationale: "r1",
        trainScore: first?.candidates[0]?.trainScore,
        validationScore: first?.candidates[0]?.validationScore,
        accepted: true,
      },
      {
        iteration: 1,
        prompt: first?.candidates[1]?.prompt,
        rationale: "weaker",
        trainScore: first?.candidates[1]?.trainScore,
        // Not among the validateTop: never scored on validation.
        validationScore: null,
        accepted: false,
      },
    ]);
  });

  it("ends with the winner's validation score when the run stops right after accepting it", async () => {
    const { report } = await optimize({ stop: { maxIterations: 1, patience: 1 } });
    const [first] = report.iterations;
    const winner = first?.candidates.find((c) => c.accepted);
    expect(winner?.validationScore).toBeGreaterThan(first?.incumbentValidation ?? 1);
    expect(report.validation.best).toBe(winner?.validationScore);
    expect(report.validation.baseline).toBe(first?.incumbentValidation);
  });

  it("sends proposals to the optimizer model and examples to the task model", async () => {
    const models = new Map<string, number>();
    const world = ruleWorld();
    await runOptimization({ ...base, stop: { maxIterations: 1, patience: 1 } }, ruleExamples(200), {
      llm: {
        generate: (request) => {
          const brief = request.messages.at(-1)?.content.includes("<brief>") ? "brief" : "example";
          models.set(`${request.model} ${brief}`, (models.get(`${request.model} ${brief}`) ?? 0) + 1);
          return world.llm.generate(request);
        },
        embed: world.llm.embed,
      },
      steps: createMemoryStepRunner(),
      recorder: createMemoryRecorder(),
      clock: { now: () => 0 },
      scorer: exactScorer,
      optimizer: critiqueRewrite,
    });
    expect([...models.keys()].sort()).toEqual(["fake:optimizer brief", "fake:task example"]);
  });

  it("records results under the phase and split of each evaluation, and decides nothing without contenders", async () => {
    const { recorder } = await optimize({ stop: { maxIterations: 1, patience: 1 } });
    expect([...recorder.splits].sort()).toEqual([
      ["final/test/baseline", "test"],
      ["final/test/best", "test"],
      ["iter-1/train/cand-0", "train"],
      ["iter-1/train/cand-1", "train"],
      ["iter-1/train/incumbent", "train"],
      ["iter-1/validation/cand-0", "validation"],
      ["iter-1/validation/cand-1", "validation"],
      ["iter-1/validation/incumbent", "validation"],
    ]);
    const none = await optimize({ stop: { maxIterations: 1, patience: 1 } }, neverBetter);
    expect(none.steps.executed.filter((id) => id.includes("comparative-evaluation/"))).toEqual([
      "iter-1/comparative-evaluation/train",
    ]);
  });
});

describe("settings", () => {
  it("keep more budget for the final test when scoring calls a model", async () => {
    const spent = async (scoringCallsPerExample: number) =>
      (await optimize({ budget: { calls: 700 }, scoringCallsPerExample })).report.usage.calls;
    // The test needs 2 prompts × 60 examples × (1 + scoring calls): 120 or 240 calls kept back.
    const [plain, judged] = [await spent(0), await spent(1)];
    expect(plain - judged).toBeGreaterThanOrEqual(100);
  });

  it("take the batch size from the step plan when none is set, for a strategy with or without a plan", async () => {
    const noPlan: OptimizerStrategy = { ...(critiqueRewrite as OptimizerStrategy), plan: undefined };
    for (const optimizer of [critiqueRewrite as OptimizerStrategy, noPlan]) {
      const steps = createMemoryStepRunner();
      await runOptimization(
        { ...base, batchSize: undefined, stop: { maxIterations: 1, patience: 1 } },
        ruleExamples(200),
        {
          llm: ruleWorld().llm,
          steps,
          recorder: createMemoryRecorder(),
          clock: { now: () => 0 },
          scorer: exactScorer,
          optimizer,
        },
      );
      // Concurrency 4: batches of 20, so the 80 training examples take 4 steps.
      expect(steps.executed.filter((id) => id.startsWith("iter-1/primary-inference/"))).toHaveLength(4);
    }
  });
});

describe("a run's start", () => {
  it("records when it began, and refuses to resume steps an earlier version stored", async () => {
    const { steps } = await optimize({ stop: { maxIterations: 1, patience: 1 } });
    expect(steps.results.get("start")).toEqual({ startedAt: 0, scheme: 2 });
    const resume = (start: unknown) =>
      runOptimization(base, ruleExamples(200), {
        llm: ruleWorld().llm,
        steps: createMemoryStepRunner(new Map([["start", start]])),
        recorder: createMemoryRecorder(),
        clock: { now: () => 5 },
        scorer: exactScorer,
        optimizer: critiqueRewrite,
      });
    await expect(resume(1_000)).rejects.toThrow("stored by an earlier version of Strop");
    await expect(resume({ startedAt: 1, scheme: 1 })).rejects.toThrow("start the run again");
    expect((await resume({ startedAt: 1, scheme: 2 })).elapsedMs).toBe(4);
  });
});
