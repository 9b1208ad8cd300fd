// The simulated models of a task world, as one LlmPort (the real wire format: chat messages in, text out).
// Task model: answers the label of the first word of the text that a line of the prompt states a rule for
// (`... "<word>" ... <label> ...`), else the label a demo with that word shows, else the default label.
// It follows only what the prompt says: a stated wrong rule is followed too.
// Optimizer model: reads the <brief> (critique-rewrite's and OPRO's format), counts (word, expected label)
// pairs across the failures shown, and proposes prompts that add the best-supported rules — one with
// every pair seen at least twice, one with the single best pair, one that also trusts pairs seen once
// (often a distractor) — never a prompt already in the history.
import type { LlmPort, LlmRequest, LlmResponse } from "../ports";
import type { ChatMessage } from "../types";
import type { TaskWorld } from "./generate";

const RULE_LINE = /"([a-z]+)"[^\n]*?\b(answer|is)\s+([a-z]+)/;

/** The rules a prompt states: trigger word → label, for labels of the world. */
export function statedRules(text: string, labels: readonly string[]): Map<string, string> {
  const stated = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = RULE_LINE.exec(line);
    if (m && labels.includes(m[3] as string) && !stated.has(m[1] as string))
      stated.set(m[1] as string, m[3] as string);
  }
  return stated;
}

function answerTask(world: TaskWorld, messages: ChatMessage[]): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  const last = messages[messages.length - 1]?.content ?? "";
  const text = /Text: (.*)/.exec(last)?.[1] ?? last;
  const rules = statedRules(system, world.labels);
  // What the demos show: each word with the labels of the demos it appears in.
  const demos = new Map<string, Set<string>>();
  for (let i = 0; i + 1 < messages.length - 1; i++) {
    const m = messages[i] as ChatMessage;
    const next = messages[i + 1] as ChatMessage;
    if (m.role !== "user" || next.role !== "assistant") continue;
    for (const w of (/Text: (.*)/.exec(m.content)?.[1] ?? "").split(" ")) {
      demos.set(w, (demos.get(w) ?? new Set()).add(next.content));
    }
  }
  const tokens = text.split(" ");
  for (const w of tokens) {
    const label = rules.get(w);
    if (label) return label;
  }
  // In-context learning, naively: a word whose demos all agree on one label suggests it (a distractor
  // that happens to sit in one demo misleads, as it would a real model).
  for (const w of tokens) {
    const labels = demos.get(w);
    if (labels?.size === 1) return [...labels][0] as string;
  }
  return world.defaultLabel;
}

interface Brief {
  k?: number;
  current: { systemPrompt: string; outputPrompt: string };
  failures: { input: { text?: string }; expected: string }[];
  history: { systemPrompt: string; outputPrompt: string }[];
}

function proposeRules(world: TaskWorld, brief: Brief): string {
  const support = new Map<string, number>();
  for (const f of brief.failures) {
    for (const w of new Set((f.input.text ?? "").split(" "))) {
      if (!w) continue;
      const key = `${w}\u0000${f.expected}`;
      support.set(key, (support.get(key) ?? 0) + 1);
    }
  }
  const stated = statedRules(brief.current.systemPrompt, world.labels);
  const pairs = [...support.entries()]
    .map(([key, n]) => {
      const [w, label] = key.split("\u0000") as [string, string];
      return { w, label, n };
    })
    .filter((p) => !stated.has(p.w) && p.label !== world.defaultLabel)
    .sort((a, b) => b.n - a.n || a.w.localeCompare(b.w));
  const line = (p: { w: string; label: string }) => `- If the text contains "${p.w}", answer ${p.label}.`;
  const variants = [
    { picks: pairs.filter((p) => p.n >= 2), why: "every pattern seen in at least two failures" },
    { picks: pairs.slice(0, 1), why: "the best-supported pattern only" },
    { picks: pairs.slice(0, 4), why: "the four most frequent patterns, including ones seen once" },
  ];
  const tried = new Set(brief.history.map((h) => h.systemPrompt));
  const candidates = variants
    .filter((v) => v.picks.length > 0)
    .map((v) => ({
      systemPrompt: `${brief.current.systemPrompt}\n${v.picks.map(line).join("\n")}`,
      outputPrompt: brief.current.outputPrompt,
      rationale: `adds rules for ${v.why}`,
    }))
    .filter(
      (c, i, all) =>
        !tried.has(c.systemPrompt) && all.findIndex((o) => o.systemPrompt === c.systemPrompt) === i,
    )
    .slice(0, Math.max(1, brief.k ?? 3));
  return JSON.stringify({ candidates });
}

/** The world's task and optimizer model; counts calls like a provider would bill them. */
export function worldModels(world: TaskWorld): LlmPort & { calls(): number } {
  let calls = 0;
  return {
    calls: () => calls,
    async generate(request: LlmRequest): Promise<LlmResponse> {
      calls++;
      const last = request.messages[request.messages.length - 1]?.content ?? "";
      const brief = /<brief>([\s\S]*?)<\/brief>/.exec(last)?.[1];
      const text = brief
        ? proposeRules(world, JSON.parse(brief) as Brief)
        : answerTask(world, request.messages);
      const inputTokens = Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4);
      return {
        text,
        usage: { inputTokens, outputTokens: Math.ceil(text.length / 4) },
        latencyMs: 0,
        costUsd: 0,
        cached: false,
      };
    },
    async embed() {
      throw new Error("task worlds have no embedding model");
    },
  };
}

/** Share of the world's hidden rules a prompt states correctly. */
export function rulesDiscovered(world: TaskWorld, systemPrompt: string): number {
  const stated = statedRules(systemPrompt, world.labels);
  return world.rules.filter((r) => stated.get(r.trigger) === r.label).length / world.rules.length;
}
