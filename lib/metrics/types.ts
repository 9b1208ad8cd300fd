import type { z } from "zod";
import type { LlmPort } from "@/lib/core/ports";
import type { Example, MetricScore } from "@/lib/core/types";

export interface MetricContext {
  llm: LlmPort;
  /** Model used by metrics that need one (judge, embeddings) when their options name none. */
  defaultModel: string;
  signal?: AbortSignal;
}

export interface MetricInput {
  output: string;
  expected: string;
  example: Example;
}

export interface MetricDefinition<Options = unknown> {
  name: string;
  description: string;
  /** Zod schema of the options, with defaults; parsing `{}` must succeed. */
  options: z.ZodType<Options>;
  usesLlm: boolean;
  score(input: MetricInput, options: Options, ctx: MetricContext): Promise<MetricScore>;
}
