// A small emulation of Strop's optimization loop on the simulator alone, used by the tests to check the
// simulator's quality targets: run the task role, show failures to the optimizer role through a <brief>,
// score the candidates, keep the best one if it wins clearly, repeat. Pure and deterministic.
import { jsonInText } from "./diagnose-fields";
import { simChat } from "./index";
import type { SimMessage } from "./messages";
import { type PromptPair, readPromptPair } from "./rewrite";
import { fnv1a } from "./text";

export interface HarnessExample {
  id: string;
  input: Record<string, string>;
  expected: string;
}

export type HarnessMetric = "exact_match" | "json_match";

export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (_, name: string) => variables[name] ?? "");
}

export function messagesFor(prompt: PromptPair, input: Record<string, string>): SimMessage[] {
  const messages: SimMessage[] = [];
  if (prompt.systemPrompt.trim()) messages.push({ role: "system", content: prompt.systemPrompt });
  messages.push({ role: "user", content: renderTemplate(prompt.outputPrompt, input) });
  return messages;
}

function normalizeExact(text: string): string {
  let t = text.normalize("NFC").replace(/\s+/g, " ").trim();
  const pairs: Record<string, string> = { '"': '"', "'": "'", "`": "`", "“": "”" };
  const close = pairs[t[0] ?? ""];
  if (t.length >= 2 && close && t.endsWith(close)) t = t.slice(1, -1).trim();
  return t.toLowerCase();
}

function jsonEqual(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const num = (v: unknown) =>
    typeof v === "number"
      ? v
      : typeof v === "string" && /^[+-]?\d+(?:\.\d+)?$/.test(v.trim())
        ? Number(v)
        : null;
  if (typeof expected === "number" || typeof actual === "number") {
    const a = num(expected);
    return a !== null && a === num(actual);
  }
  if (typeof expected === "string" && typeof actual === "string")
    return expected.trim().toLowerCase() === actual.trim().toLowerCase();
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/** Like Strop's exact_match (defaults) and json_match (per_field) metrics. */
export function scoreOutput(metric: HarnessMetric, output: string, expected: string): number {
  if (metric === "exact_match") return normalizeExact(output) === normalizeExact(expected) ? 1 : 0;
  const want = JSON.parse(expected) as Record<string, unknown>;
  const got = jsonInText(output.replace(/^[\s\S]*?```(?:json)?\s*|```[\s\S]*$/g, ""));
  if (!got) return 0;
  const keys = Object.keys(want);
  return keys.filter((k) => jsonEqual(want[k], got[k])).length / keys.length;
}

export interface Evaluation {
  mean: number;
  scores: number[];
  outputs: string[];
}

export function evaluatePrompt(
  prompt: PromptPair,
  examples: HarnessExample[],
  metric: HarnessMetric,
  options: { model?: string; seed?: number; temperature?: number } = {},
): Evaluation {
  const outputs = examples.map(
    (e) =>
      simChat({
        model: options.model ?? "default",
        messages: messagesFor(prompt, e.input),
        ...(options.seed !== undefined && { seed: options.seed }),
        ...(options.temperature !== undefined && { temperature: options.temperature }),
      }).text,
  );
  const scores = outputs.map((o, i) => scoreOutput(metric, o, (examples[i] as HarnessExample).expected));
  return { mean: scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length), scores, outputs };
}

export interface Round {
  round: number;
  /** Incumbent score after the round, on the rows whose failures the optimizer saw, and on the others. */
  seen: number;
  unseen: number;
  accepted: boolean;
  rationale: string;
  prompt: PromptPair;
  candidates: { rationale: string; seen: number }[];
}

export interface OptimizationTrace {
  start: { seen: number; unseen: number };
  rounds: Round[];
}

/** Splits examples into two halves by a seeded hash of their ids. */
export function halves(examples: HarnessExample[], salt = "halves"): [HarnessExample[], HarnessExample[]] {
  const seen: HarnessExample[] = [];
  const unseen: HarnessExample[] = [];
  for (const e of examples) (fnv1a(`${salt}:${e.id}`) % 2 === 0 ? seen : unseen).push(e);
  return [seen, unseen];
}

function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map((m) => m[1] as string))];
}

/** A paired sign test: the candidate wins on clearly more examples than it loses (about 95%). */
export function clearlyBetter(candidate: number[], incumbent: number[]): boolean {
  let wins = 0;
  let losses = 0;
  for (const [i, score] of candidate.entries()) {
    const before = incumbent[i] as number;
    if (score > before) wins++;
    else if (score < before) losses++;
  }
  return wins - losses > 1.96 * Math.sqrt(wins + losses);
}

/**
 * Emulates the loop: failures come only from `seen` (worst first, in a fixed order), the best candidate
 * on `seen` replaces the incumbent when it wins a paired sign test (and gains more than `minGain`); both
 * halves are measured each round.
 */
export function emulateOptimization(options: {
  start: PromptPair;
  seen: HarnessExample[];
  unseen: HarnessExample[];
  metric: HarnessMetric;
  rounds: number;
  k?: number;
  failures?: number;
  minGain?: number;
}): OptimizationTrace {
  const { metric, seen, unseen } = options;
  const k = options.k ?? 3;
  const minGain = options.minGain ?? 0;
  let incumbent = options.start;
  let incumbentSeen = evaluatePrompt(incumbent, seen, metric);
  const start = { seen: incumbentSeen.mean, unseen: evaluatePrompt(incumbent, unseen, metric).mean };
  const history: Record<string, unknown>[] = [];
  const rounds: Round[] = [];
  const variables = variablesOf(options.start.outputPrompt);
  const order = [...seen.keys()].sort((a, b) => fnv1a(`order:${a}`) - fnv1a(`order:${b}`));
  for (let round = 1; round <= options.rounds; round++) {
    const failures = order
      .filter((i) => (incumbentSeen.scores[i] as number) < 1)
      .sort((a, b) => (incumbentSeen.scores[a] as number) - (incumbentSeen.scores[b] as number))
      .slice(0, options.failures ?? 8)
      .map((i) => ({
        input: (seen[i] as HarnessExample).input,
        expected: (seen[i] as HarnessExample).expected,
        actual: incumbentSeen.outputs[i],
        error: null,
        score: incumbentSeen.scores[i],
        feedback: {},
      }));
    const brief = {
      k,
      variables,
      current: incumbent,
      summary: {
        score: incumbentSeen.mean,
        n: seen.length,
        failed: 0,
        metrics: { [metric]: incumbentSeen.mean },
      },
      failures,
      history,
    };
    const reply = simChat({
      model: "default",
      messages: [
        { role: "system", content: "You are an expert prompt engineer." },
        {
          role: "user",
          content: `<brief>\n${JSON.stringify(brief, null, 2)}\n</brief>\nReply with JSON only.`,
        },
      ],
      temperature: 0.7,
      seed: round * 100 + 1,
      json: true,
    });
    const candidates = (JSON.parse(reply.text) as { candidates: (PromptPair & { rationale: string })[] })
      .candidates;
    const scored = candidates.map((c) => ({ candidate: c, evaluation: evaluatePrompt(c, seen, metric) }));
    const best = [...scored].sort((a, b) => b.evaluation.mean - a.evaluation.mean)[0];
    const accepted =
      best !== undefined &&
      best.evaluation.mean > incumbentSeen.mean + minGain &&
      clearlyBetter(best.evaluation.scores, incumbentSeen.scores);
    for (const s of scored)
      history.push({
        iteration: round,
        systemPrompt: s.candidate.systemPrompt,
        outputPrompt: s.candidate.outputPrompt,
        rationale: s.candidate.rationale,
        trainScore: s.evaluation.mean,
        validationScore: null,
        accepted: accepted && s === best,
      });
    if (accepted && best) {
      incumbent = { systemPrompt: best.candidate.systemPrompt, outputPrompt: best.candidate.outputPrompt };
      incumbentSeen = best.evaluation;
    }
    rounds.push({
      round,
      seen: incumbentSeen.mean,
      unseen: evaluatePrompt(incumbent, unseen, metric).mean,
      accepted,
      rationale: accepted && best ? best.candidate.rationale : "",
      prompt: incumbent,
      candidates: scored.map((s) => ({ rationale: s.candidate.rationale, seen: s.evaluation.mean })),
    });
  }
  return { start, rounds };
}

/** Whether a prompt pair still reads as the same kind of task (used by tests on candidates). */
export function readsAsTask(prompt: PromptPair): boolean {
  const ins = readPromptPair(prompt);
  return ins.labels.length > 0 || ins.fields.length > 0;
}
