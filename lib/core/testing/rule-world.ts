// A tiny world for testing the workflow: a task model that gets an example right when the system
// prompt states the rule for that example's group, and an optimizer model that adds rules it sees
// broken in the failures. Deterministic and fast; its wire format is the real one.
import type { LlmPort, LlmRequest, LlmResponse } from "../ports";
import type { Example } from "../types";
import type { OptimizationSettings } from "../workflow";

export const GROUPS = ["alpha", "beta", "gamma", "delta"] as const;

/** Settings of a run in the rule world (items, fake model ids, small batches), with overrides. */
export function ruleWorldSettings(overrides: Partial<OptimizationSettings> = {}): OptimizationSettings {
  return {
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
    ...overrides,
  };
}

/** Examples whose correct answer needs the rule of their group; `easy` ones are right anyway. */
export function ruleExamples(count: number): Example[] {
  return Array.from({ length: count }, (_, i) => {
    const group = GROUPS[i % GROUPS.length] as string;
    return {
      id: `ex-${i}`,
      input: { item: `${group} item ${i}` },
      expected: i % 5 === 0 ? "easy" : `${group}-answer`,
    };
  });
}

export interface RuleWorldOptions {
  /** Answer these inputs wrongly whatever the prompt says (noise). */
  alwaysWrong?: (input: string) => boolean;
  /** With `marker` in the system prompt, `fixes` inputs become right and `breaks` inputs wrong. */
  marker?: { text: string; fixes: (input: string) => boolean; breaks: (input: string) => boolean };
  /** Throw for these inputs (a failing provider). */
  failFor?: (input: string) => boolean;
  /** What the optimizer model replies; default: adds a missing rule per candidate. */
  optimizerReply?: (brief: Record<string, unknown>, call: number) => string;
  tokensPerCall?: number;
  costPerCall?: number;
}

export function ruleWorld(options: RuleWorldOptions = {}) {
  let calls = 0;
  let optimizerCalls = 0;
  const llm: LlmPort = {
    async generate(request: LlmRequest): Promise<LlmResponse> {
      calls++;
      const system = request.messages.find((m) => m.role === "system")?.content ?? "";
      const user = request.messages.at(-1)?.content ?? "";
      const text = user.includes("<brief>") ? optimize(user, ++optimizerCalls) : answer(system, user);
      return {
        text,
        usage: { inputTokens: options.tokensPerCall ?? 10, outputTokens: 2 },
        latencyMs: 0,
        costUsd: options.costPerCall ?? 0.001,
        cached: false,
      };
    },
    async embed() {
      throw new Error("not used");
    },
  };

  function answer(system: string, user: string): string {
    if (options.failFor?.(user)) throw new Error(`provider failed for "${user}"`);
    if (options.alwaysWrong?.(user)) return "wrong";
    const index = Number(/item (\d+)/.exec(user)?.[1] ?? 0);
    if (index % 5 === 0) return "easy";
    const group = GROUPS.find((g) => user.includes(g)) ?? "none";
    const marked = options.marker && system.includes(options.marker.text);
    if (options.marker?.fixes(user)) return marked ? `${group}-answer` : "wrong";
    if (options.marker?.breaks(user)) return marked ? "wrong" : `${group}-answer`;
    return system.includes(`RULE:${group}`) ? `${group}-answer` : "unsure";
  }

  function optimize(user: string, call: number): string {
    const json = user.slice(user.indexOf("<brief>") + 7, user.indexOf("</brief>"));
    const brief = JSON.parse(json) as {
      k: number;
      current: { systemPrompt: string; outputPrompt: string };
      failures: { expected: string }[];
    };
    if (options.optimizerReply) return options.optimizerReply(brief, call);
    const missing = [...new Set(brief.failures.map((f) => f.expected.replace("-answer", "")))].filter(
      (g) => !brief.current.systemPrompt.includes(`RULE:${g}`),
    );
    const candidates = Array.from({ length: brief.k }, (_, i) => ({
      systemPrompt: `${brief.current.systemPrompt} ${missing
        .slice(0, i + 1)
        .map((g) => `RULE:${g}`)
        .join(" ")} (v${call}.${i})`,
      outputPrompt: brief.current.outputPrompt,
      rationale: `adds rules for ${missing.slice(0, i + 1).join(", ")}`,
    }));
    return JSON.stringify({ candidates });
  }

  return {
    llm,
    get calls() {
      return calls;
    },
  };
}
