// Text formatting for the terminal: numbers, intervals, tables and prompt diffs.
import { diffLines } from "@/lib/core/diff";
import type { Interval, PromptState } from "@/lib/core/types";

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor() ? `\x1b[${code}m${text}\x1b[0m` : text);
export const green = paint(32);
export const red = paint(31);
export const dim = paint(2);
export const bold = paint(1);

export const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
export const interval = (i: Interval) => `${pct(i.mean)} [${pct(i.low)}, ${pct(i.high)}]`;
export const signed = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)} pts`;
export const gain = (i: Interval) => `${signed(i.mean)} [${signed(i.low)}, ${signed(i.high)}]`;
export const usd = (value: number) => `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;

export function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

/** The prompt change as a unified-style diff of the system prompt and the output prompt. */
export function promptDiff(before: PromptState, after: PromptState): string {
  const section = (title: string, a: string, b: string) => {
    const lines = diffLines(a, b).map((d) =>
      d.kind === "added"
        ? green(`+ ${d.text}`)
        : d.kind === "removed"
          ? red(`- ${d.text}`)
          : dim(`  ${d.text}`),
    );
    return [bold(title), ...lines].join("\n");
  };
  const parts = [
    section("system prompt", before.systemPrompt, after.systemPrompt),
    section("output prompt", before.outputPrompt, after.outputPrompt),
  ];
  if (JSON.stringify(before.demos) !== JSON.stringify(after.demos)) {
    parts.push(
      `${bold("demos")}\n${after.demos.map((d) => green(`+ ${JSON.stringify(d.input)} -> ${d.output}`)).join("\n")}`,
    );
  }
  return parts.join("\n\n");
}
