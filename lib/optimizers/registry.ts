// The strategy registry: one line per strategy, each with its options schema (like lib/metrics).
import { InputError } from "@/lib/core/errors";
import type { OptimizerStrategy, SearchPlan } from "@/lib/core/optimizer";
import { critiqueRewrite } from "./critique-rewrite";
import { fewShot } from "./few-shot";
import { gepa } from "./gepa";
import { mipro } from "./mipro";
import { opro } from "./opro";
import { successiveHalving } from "./successive-halving";

export const optimizers = {
  "critique-rewrite": critiqueRewrite,
  "few-shot": fewShot,
  gepa,
  mipro,
  opro,
  "successive-halving": successiveHalving,
} as const;

export type OptimizerName = keyof typeof optimizers;
export const optimizerNames = Object.keys(optimizers) as OptimizerName[];

/** The parsed (defaults applied) options of strategy `N`. */
export type OptimizerOptionsOf<N extends OptimizerName> =
  (typeof optimizers)[N] extends OptimizerStrategy<infer O, unknown> ? O : never;

export function isOptimizerName(name: string): name is OptimizerName {
  return Object.hasOwn(optimizers, name);
}

export function getOptimizer(name: string): OptimizerStrategy {
  if (!isOptimizerName(name)) {
    throw new Error(`unknown optimizer strategy "${name}" (known: ${optimizerNames.join(", ")})`);
  }
  return optimizers[name] as OptimizerStrategy;
}

/** Name, description and default options of every strategy, for docs, the API and the UI. */
export function listOptimizers(): { name: OptimizerName; description: string; defaults: unknown }[] {
  return optimizerNames.map((name) => ({
    name,
    description: optimizers[name].description,
    defaults: optimizers[name].options.parse({}),
  }));
}

/**
 * Checks `options` (undefined means `{}`) with strategy `name`'s schema and applies its defaults; throws
 * InputError naming each bad field as `optimizer.options.<field>` (details: `{ field, message }[]`).
 */
export function parseOptimizerOptions(name: string, options: unknown): unknown {
  const strategy = getOptimizer(name);
  const result = strategy.options.safeParse(options ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => {
    const path = ["optimizer", "options", ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...path, key].join("."), message: "unknown option" }));
    }
    return [{ field: path.join("."), message: issue.message }];
  });
  throw new InputError(
    `Invalid options for optimizer strategy "${name}": ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`,
    issues,
  );
}

/** What one iteration of strategy `name` asks for at most, for the run's step plan. */
export function searchPlanOf(name: string, options: unknown): SearchPlan | undefined {
  const strategy = getOptimizer(name);
  return strategy.plan?.(strategy.options.parse(options ?? {}));
}
