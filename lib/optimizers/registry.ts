import type { OptimizerStrategy } from "@/lib/core/optimizer";
import { critiqueRewrite } from "./critique-rewrite";
import { fewShot } from "./few-shot";

export const optimizers = {
  "critique-rewrite": critiqueRewrite,
  "few-shot": fewShot,
} as const satisfies Record<string, OptimizerStrategy>;

export type OptimizerName = keyof typeof optimizers;

export function getOptimizer(name: string): OptimizerStrategy {
  const strategy = (optimizers as Record<string, OptimizerStrategy>)[name];
  if (!strategy) {
    throw new Error(`unknown optimizer strategy "${name}" (known: ${Object.keys(optimizers).join(", ")})`);
  }
  return strategy;
}
