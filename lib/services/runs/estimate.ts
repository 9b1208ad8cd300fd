// The cost of a run before it starts (POST …/runs/estimate, the start-run form as it changes): the run
// spec resolved exactly as starting it would (./create.ts), its dataset's text lengths and the models'
// prices (lib/llm/prices.ts), through the pure estimate (lib/core/estimate.ts); and whether the project
// asks for confirmation before spending that much.
import type { ProjectAccess } from "@/lib/auth/principal";
import { averageChars, estimateOptimizationRun, type RunEstimate, type TextSizes } from "@/lib/core/estimate";
import type { PromptState } from "@/lib/core/types";
import type { Db } from "@/lib/db";
import { lookupPrice } from "@/lib/llm/prices";
import type { RunEstimateView, RunSpecInput } from "@/lib/validation/runs";
import type { ModelConfig } from "@/lib/validation/task-file";
import { getCostConfirmation } from "../settings";
import { resolveRunSpec } from "./create";

/** The prompt's own characters: system prompt, output template and demos. */
export function promptChars(prompt: PromptState): number {
  const demos = prompt.demos.reduce(
    (sum, demo) => sum + Object.values(demo.input).join(" ").length + demo.output.length,
    0,
  );
  return prompt.systemPrompt.length + prompt.outputPrompt.length + demos;
}

/** Average lengths of what fills the template and of the expected outputs. */
export function textSizes(
  prompt: PromptState,
  examples: readonly { input: Record<string, string>; expected: string }[],
): TextSizes {
  return {
    promptChars: promptChars(prompt),
    inputChars: averageChars(examples.map((e) => Object.values(e.input).join(" "))),
    expectedChars: averageChars(examples.map((e) => e.expected)),
  };
}

export const priceOf = (model: Pick<ModelConfig, "id" | "price">) => lookupPrice(model.id, model.price);

/** The estimate with the project's confirmation threshold applied. */
export function withConfirmation(estimate: RunEstimate, confirmAboveUsd: number): RunEstimateView {
  const cost = estimate.upper.costUsd;
  return {
    ...estimate,
    confirmAboveUsd,
    needsConfirmation: estimate.paid && (cost === null || cost > confirmAboveUsd),
  };
}

/** What a run of `spec` may spend (400 naming the field for a spec that could not start). */
export async function estimateProjectRun(
  db: Db,
  access: ProjectAccess,
  spec: RunSpecInput,
): Promise<RunEstimateView> {
  const { config, context, examples, prompt } = await resolveRunSpec(db, access.project.id, spec);
  const { settings, optimizer } = context;
  const strategyOptions = optimizer.options.parse(settings.optimizerOptions ?? {}) as Record<string, unknown>;
  const attempts = strategyOptions.attempts;
  const estimate = estimateOptimizationRun({
    settings: {
      candidates: settings.candidates,
      failures: settings.failures,
      splits: settings.splits,
      acceptance: settings.acceptance,
      stop: settings.stop,
      budget: settings.budget,
      scoringCallsPerExample: settings.scoringCallsPerExample ?? 0,
      proposalAttempts: typeof attempts === "number" ? attempts : 1,
    },
    examples: examples.length,
    text: textSizes(prompt, examples),
    prices: { task: priceOf(config.models.task), optimizer: priceOf(config.models.optimizer) },
    search: optimizer.plan?.(strategyOptions),
  });
  return withConfirmation(estimate, (await getCostConfirmation(db, access)).confirmAboveUsd);
}
