// The error budget of a run (task file and run spec): how many failed provider calls a run tolerates.
import { z } from "zod";

export const DEFAULT_ERROR_BUDGET = { maxFailedFraction: 0.2, minCalls: 20 } as const;

export const errorBudgetSchema = z
  .object({
    /** The run fails once more than this fraction of its provider calls have failed… */
    maxFailedFraction: z.number().min(0).max(1).default(DEFAULT_ERROR_BUDGET.maxFailedFraction),
    /** …after at least this many calls. Until then, failed calls only fail their examples. */
    minCalls: z.number().int().min(1).default(DEFAULT_ERROR_BUDGET.minCalls),
  })
  .strict();

export type ErrorBudgetConfig = z.infer<typeof errorBudgetSchema>;
