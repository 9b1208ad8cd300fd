// A SearchPort over a synthetic world for the strategies' mechanics tests: no model and no vocabulary
// of the simulator. Example i needs rule `need(i)`; a prompt scores 1 on it exactly when its system
// prompt has the line "- rule-<need>" (or a demo with that example's output, for demo strategies). The
// fake optimizer reads only what the port gives it: the prompt it reflects on and that prompt's failures.
import type {
  Candidate,
  Failure,
  OptimizerInput,
  PromptScores,
  ScoredCandidate,
  SearchPort,
} from "@/lib/core/optimizer";
import type { LlmPort } from "@/lib/core/ports";
import { promptKey } from "@/lib/core/prompt";
import { createRandom } from "@/lib/core/random";
import type { Example, PromptState } from "@/lib/core/types";

export const basePrompt = (system = "Answer."): PromptState => ({
  systemPrompt: system,
  outputPrompt: "{{text}}",
  demos: [],
  params: {},
});

export const withRule = (prompt: PromptState, rule: string): PromptState => ({
  ...prompt,
  systemPrompt: `${prompt.systemPrompt}\n- rule-${rule}`,
});

export function ruleExamples(count: number, rules: number): Example[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    input: { text: `t${i}` },
    expected: `${i % rules}`,
  }));
}

/** 1 when the prompt states the example's rule (or shows a demo of its expected output). */
export function ruleScore(prompt: PromptState, example: Example): number {
  const lines = prompt.systemPrompt.split("\n").map((l) => l.trim());
  if (lines.includes(`- rule-${example.expected}`)) return 1;
  return prompt.demos.some((d) => d.output === modelAnswer(example)) ? 1 : 0;
}

/** What the task model writes when it gets an example right (not the expected text itself). */
export const modelAnswer = (example: Example) => `answer: ${example.expected}`;

/** The fake optimizer: one candidate per failure (up to k), each adding the failing example's rule. */
export function addFailingRules(input: Pick<OptimizerInput, "k" | "incumbent" | "failures">): PromptState[] {
  const rules = [...new Set(input.failures.map((f) => f.expected))].slice(0, input.k);
  return rules.map((rule) => withRule(input.incumbent, rule));
}

/** The optimizer model of the rule world: reads the <brief> a strategy rendered and adds failing rules. */
export const ruleOptimizerLlm: LlmPort = {
  async generate(request) {
    const text = request.messages[request.messages.length - 1]?.content ?? "";
    const brief = JSON.parse(/<brief>([\s\S]*)<\/brief>/.exec(text)?.[1] ?? "{}");
    const prompts = addFailingRules({
      k: brief.k,
      incumbent: { ...basePrompt(), ...brief.current },
      failures: brief.failures,
    });
    const candidates = prompts.map((p) => ({ ...p, rationale: "adds a rule" }));
    return {
      text: JSON.stringify({ candidates }),
      usage: { inputTokens: 1, outputTokens: 1 },
      latencyMs: 0,
      costUsd: 0,
      cached: false,
    };
  },
  async embed() {
    throw new Error("the rule world has no embeddings");
  },
};

export interface RuleSearchLog {
  /** Every scoring and rescoring: which prompts, on how many examples, under which label. */
  scorings: { prompts: string[]; examples: string[]; label?: string; rescore?: boolean }[];
  proposals: { label?: string; from: string; failures: string[] }[];
  /** Example results paid for (a prompt's result on an example is paid once). */
  paid: number;
}

export function ruleSearch(options: {
  train: Example[];
  incumbent: PromptState;
  minibatch?: Example[];
  k?: number;
  seed?: number | string;
  iteration?: number;
  tried?: Set<string>;
}) {
  const log: RuleSearchLog = { scorings: [], proposals: [], paid: 0 };
  const minibatch = options.minibatch ?? options.train;
  const tried = options.tried ?? new Set([promptKey(options.incumbent)]);
  const paidFor = new Set<string>();
  const indexByKey = new Map<string, number>();
  const meanOn = (prompt: PromptState, examples: readonly Example[]) => {
    const scores = examples.map((e) => {
      const key = `${promptKey(prompt)}|${e.id}`;
      if (!paidFor.has(key)) {
        paidFor.add(key);
        log.paid++;
      }
      return ruleScore(prompt, e);
    });
    return { mean: scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length), scores };
  };
  const incumbentTrain = meanOn(options.incumbent, minibatch);
  const failuresOf = (prompt: PromptState): Failure[] =>
    minibatch
      .filter((e) => ruleScore(prompt, e) < 1)
      .map((e) => ({
        exampleId: e.id,
        input: e.input,
        expected: e.expected,
        actual: "wrong",
        error: null,
        score: 0,
        metrics: {},
      }));
  const iteration = options.iteration ?? 1;
  const search: SearchPort = {
    iteration,
    k: options.k ?? 2,
    incumbent: options.incumbent,
    variables: ["text"],
    history: [],
    train: options.train,
    minibatch,
    incumbentTrain: {
      score: { mean: incumbentTrain.mean, low: 0, high: 1, n: minibatch.length },
      metrics: {},
      failed: 0,
    },
    random: (label?: string) => createRandom(`${options.seed ?? 1}:${iteration}:${label ?? ""}`),
    async propose(fn, label, { from } = {}) {
      const prompt = from ?? options.incumbent;
      const failures = failuresOf(prompt);
      log.proposals.push({ label, from: prompt.systemPrompt, failures: failures.map((f) => f.exampleId) });
      return fn(
        {
          iteration,
          k: options.k ?? 2,
          incumbent: prompt,
          variables: ["text"],
          summary: search.incumbentTrain,
          failures,
          history: [],
          trainExamples: options.train,
          random: createRandom(`optimizer:${iteration}:${label ?? ""}`),
        },
        { llm: ruleOptimizerLlm, model: "fake:optimizer" },
      );
    },
    async score(candidates: readonly Candidate[], opts = {}) {
      const examples = opts.examples ?? minibatch;
      log.scorings.push({
        prompts: candidates.map((c) => c.prompt.systemPrompt),
        examples: examples.map((e) => e.id),
        label: opts.label,
      });
      return candidates.map((candidate): ScoredCandidate => {
        const key = promptKey(candidate.prompt);
        let index = indexByKey.get(key);
        if (index === undefined && tried.has(key)) {
          return {
            index: -1,
            candidate,
            status: "rejected",
            rejectReason: "repeat",
            score: null,
            examples: 0,
          };
        }
        if (index === undefined) {
          index = indexByKey.size;
          indexByKey.set(key, index);
          tried.add(key);
        }
        const { mean, scores } = meanOn(candidate.prompt, examples);
        return {
          index,
          candidate,
          status: "evaluated",
          score: mean,
          examples: examples.length,
          ...(opts.perExample ? { scores } : {}),
        };
      });
    },
    async rescore(prompt, opts): Promise<PromptScores> {
      const examples = opts.examples ?? minibatch;
      log.scorings.push({
        prompts: [prompt.systemPrompt],
        examples: examples.map((e) => e.id),
        label: opts.label,
        rescore: true,
      });
      const scored = meanOn(prompt, examples);
      if (!opts.outputs) return scored;
      return {
        ...scored,
        outputs: examples.map((e, i) => (scored.scores[i] === 1 ? modelAnswer(e) : "wrong")),
      };
    },
  };
  return { search, log, tried };
}
