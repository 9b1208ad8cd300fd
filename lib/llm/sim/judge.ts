// The judge role: score an output against the expected answer by content overlap (token F1), with
// exact equality (case and surrounding whitespace aside) scoring 1.
import { words } from "./text";

export interface JudgeRequest {
  rubric: string;
  input: string;
  expected: string;
  output: string;
}

function tag(text: string, name: string): string | null {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
  return m ? (m[1] as string).trim() : null;
}

/** The output is the last tag and may contain anything: take it up to the last closing tag. */
function outputTag(text: string): string | null {
  const start = text.indexOf("<output>");
  const end = text.lastIndexOf("</output>");
  return start >= 0 && end > start ? text.slice(start + "<output>".length, end).trim() : null;
}

/** The judge request in a message, or null when the message is not one. */
export function readJudgeRequest(text: string): JudgeRequest | null {
  const output = outputTag(text);
  const expected = tag(text, "expected");
  if (output === null || expected === null) return null;
  return { rubric: tag(text, "rubric") ?? "", input: tag(text, "input") ?? "", expected, output };
}

export function tokenF1(output: string, expected: string): number {
  const got = words(output);
  const want = words(expected);
  if (got.length === 0 || want.length === 0) return got.length === want.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of want) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of got) {
    const left = counts.get(w) ?? 0;
    if (left > 0) {
      common++;
      counts.set(w, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / got.length;
  const recall = common / want.length;
  return (2 * precision * recall) / (precision + recall);
}

export function judge(request: JudgeRequest): { score: number; reason: string } {
  const normalize = (t: string) => t.trim().replace(/\s+/g, " ").toLowerCase();
  if (normalize(request.output) === normalize(request.expected))
    return { score: 1, reason: "The output matches the expected answer." };
  const score = Math.round(tokenF1(request.output, request.expected) * 1000) / 1000;
  const reason =
    score === 0
      ? "The output shares no content with the expected answer."
      : `The output overlaps the expected answer partly (token F1 ${score.toFixed(2)}).`;
  return { score, reason };
}
