// How a generation's figures read: "412 ms · 120 → 35 tokens · $0.0012 · cached".
import { count, usd } from "@/components/runs/format";
import type { GenerationSummary } from "@/lib/validation/generations";

export function latencyText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function figuresText(
  g: Pick<GenerationSummary, "latencyMs" | "inputTokens" | "outputTokens" | "costUsd" | "cached">,
): string {
  return [
    latencyText(g.latencyMs),
    `${count(g.inputTokens)} → ${count(g.outputTokens)} tokens`,
    usd(g.costUsd),
    g.cached ? "cached" : null,
  ]
    .filter(Boolean)
    .join(" · ");
}
