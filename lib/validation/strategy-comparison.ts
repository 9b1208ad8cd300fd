// Starting one run per search strategy on the same spec (task, version, dataset, models, metrics,
// splits, stop rules, budget), to compare them side by side.
import * as z from "zod";
import { runSpecSchema } from "./runs";

export const strategyComparisonBodySchema = z
  .object({
    spec: runSpecSchema.meta({
      description: "The run spec every strategy runs with; its strategy is replaced.",
    }),
    strategies: z
      .array(z.string().min(1))
      .min(2, "choose at least two strategies")
      .max(6, "choose at most six strategies")
      .refine((list) => new Set(list).size === list.length, "each strategy once")
      .meta({ description: "The strategies to compare (2–6, each once), e.g. critique-rewrite and gepa." }),
  })
  .strict()
  .meta({ id: "StrategyComparison" });
export type StrategyComparisonBody = z.input<typeof strategyComparisonBodySchema>;

export const startedComparisonSchema = z
  .object({
    runs: z.array(z.object({ id: z.string(), strategy: z.string() }).strict()),
    compareUrl: z.string().meta({ description: "The page that shows the runs side by side." }),
  })
  .strict()
  .meta({ id: "StartedStrategyComparison" });
export type StartedComparison = z.output<typeof startedComparisonSchema>;
