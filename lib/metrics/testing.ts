// Test support for metrics: a fake LLM port (no mocking library) and a one-call scoring helper.
import type { EmbedResponse, LlmPort, LlmRequest, LlmResponse } from "@/lib/core/ports";
import type { MetricScore, Variables } from "@/lib/core/types";
import type { MetricContext, MetricDefinition, MetricInput } from "./types";

type Reply = string | Error;

/**
 * Answers `generate` from a script of replies (in order; an Error is thrown instead) or a function, and
 * `embed` with a function of each text. Records every call.
 */
export class FakeLlm implements LlmPort {
  readonly requests: LlmRequest[] = [];
  readonly embedCalls: { model: string; texts: string[] }[] = [];
  private readonly replyTo: (request: LlmRequest) => Reply | undefined;

  constructor(
    replies: Reply[] | ((request: LlmRequest) => Reply) = [],
    private readonly embedText: (text: string) => number[] = letterCounts,
  ) {
    if (Array.isArray(replies)) {
      const script = [...replies];
      this.replyTo = () => script.shift();
    } else {
      this.replyTo = replies;
    }
  }

  async generate(request: LlmRequest): Promise<LlmResponse> {
    this.requests.push(request);
    const reply = this.replyTo(request);
    if (reply === undefined) throw new Error("FakeLlm: no scripted reply left");
    if (reply instanceof Error) throw reply;
    return {
      text: reply,
      usage: { inputTokens: 10, outputTokens: 5 },
      latencyMs: 1,
      costUsd: 0,
      cached: false,
    };
  }

  async embed(model: string, texts: string[]): Promise<EmbedResponse> {
    this.embedCalls.push({ model, texts });
    return { embeddings: texts.map(this.embedText), usage: { inputTokens: texts.length }, costUsd: 0 };
  }
}

/** A 26-dimensional bag of letters: non-negative, so cosines are in [0, 1]. */
export function letterCounts(text: string): number[] {
  const counts = new Array<number>(26).fill(0);
  for (const ch of text.toLowerCase()) {
    const code = ch.charCodeAt(0) - 97;
    if (code >= 0 && code < 26) counts[code] = (counts[code] as number) + 1;
  }
  return counts;
}

export function metricInput(
  output: string,
  expected: string,
  input: Variables = { question: "q" },
): MetricInput {
  return { output, expected, example: { id: "ex-1", input, expected } };
}

export function metricContext(llm: LlmPort = new FakeLlm(), defaultModel = "sim:default"): MetricContext {
  return { llm, defaultModel };
}

/** Parses `options` with the metric's schema (defaults applied) and scores one pair. */
export function scoreWith<O>(
  metric: MetricDefinition<O>,
  output: string,
  expected: string,
  options: unknown = {},
  ctx: MetricContext = metricContext(),
): Promise<MetricScore> {
  return metric.score(metricInput(output, expected), metric.options.parse(options), ctx);
}
