// How a finished run reads in the terminal.
import type { EvaluationReport } from "@/lib/core/evaluation";
import type { Progress } from "@/lib/core/ports";
import { heldOutTest, type OptimizationReport, qualityCostLines } from "@/lib/core/report";
import { bold, dim, duration, gain, green, interval, pct, promptDiff, red, table, usd } from "./format";

export function progressLine(p: Progress, counted?: string): string {
  const where = p.iteration > 0 ? `iter ${p.iteration} · ${p.step}` : p.step;
  const eta = p.etaMs === null || p.done === p.total ? "" : ` · step ETA ${duration(p.etaMs)}`;
  return `${where} ${counted ?? `${p.done}/${p.total}`} · ${p.calls} calls · ${p.inputTokens + p.outputTokens} tokens · ${usd(p.costUsd)} · ${duration(p.elapsedMs)}${eta}`;
}

const FINAL_TEST_STEP = /^final test: /;

/**
 * Progress lines for one run. The held-out test goes in chunks (lib/core/final-test.ts) and each chunk
 * reports its own done/total, which alone read as if the test had 50 examples, then 34; these lines say
 * which chunk they count and how many test examples that prompt has been scored on so far.
 */
export function progressLines(): (p: Progress) => string {
  // Per final-test step: examples of its finished chunks, the chunk now running, the last snapshot.
  const steps = new Map<string, { scored: number; chunk: number; done: number; total: number }>();
  return (p) => {
    if (!FINAL_TEST_STEP.test(p.step)) return progressLine(p);
    const state = steps.get(p.step) ?? { scored: 0, chunk: 1, done: 0, total: p.total };
    // A count that runs backwards is the next chunk beginning: the previous one finished.
    if (p.done < state.done) {
      state.scored += state.total;
      state.chunk += 1;
    }
    state.done = p.done;
    state.total = p.total;
    steps.set(p.step, state);
    return progressLine(
      p,
      `chunk ${state.chunk}: ${p.done}/${p.total} examples (${state.scored + p.done} test examples so far)`,
    );
  };
}

export function iterationTable(report: OptimizationReport): string {
  const rows = report.iterations.map((it) => {
    const evaluated = it.candidates.filter((c) => c.status === "evaluated");
    const best = evaluated.sort((a, b) => (b.trainScore ?? 0) - (a.trainScore ?? 0))[0];
    const winner = it.candidates.find((c) => c.accepted);
    const shown =
      winner ??
      it.candidates.filter((c) => c.gain).sort((a, b) => (b.gain?.mean ?? 0) - (a.gain?.mean ?? 0))[0];
    return [
      it.index,
      pct(it.incumbentTrain.mean),
      pct(it.incumbentValidation),
      `${evaluated.length}/${it.candidates.length + it.rejectedProposals.length}`,
      best?.trainScore == null ? "-" : pct(best.trainScore),
      shown?.gain ? gain(shown.gain) : "-",
      winner ? green(`cand ${winner.index}`) : dim("kept"),
      it.usage.calls,
    ];
  });
  return table(
    ["iter", "train", "valid", "cands", "best train", "validation gain [95% CI]", "decision", "calls"],
    rows,
  );
}

const STOP_REASONS: Record<OptimizationReport["stopReason"], string> = {
  target_reached: "target score reached",
  patience: "no accepted candidate for `patience` iterations",
  max_iterations: "maximum iterations reached",
  no_failures: "no failing training examples left",
  budget_calls: "call budget spent",
  budget_tokens: "token budget spent",
  budget_costUsd: "cost budget spent",
  budget_wallSeconds: "wall-time budget spent",
};

export function optimizationSummary(
  report: OptimizationReport,
  runId: string,
  savedVersion: number | null,
): string {
  const test = heldOutTest(report);
  const verdict =
    test.gain.low > 0
      ? green("improvement: the 95% interval of the gain is above zero")
      : test.gain.mean === 0 && test.gain.low === 0
        ? dim("no change: the baseline was not beaten")
        : red("not a credible improvement on the test split");
  const lines = [
    bold(`Run ${runId}`) + dim(` · stopped: ${STOP_REASONS[report.stopReason]}`),
    `splits: ${report.splits.train} train · ${report.splits.folds ? `${report.splits.folds} folds` : `${report.splits.validation} validation`} · ${report.splits.test} test`,
    "",
    iterationTable(report),
    "",
    ...qualityCostLines(report),
  ];
  if (report.bestOrigin) {
    lines.push(
      bold(
        `Winning prompt (iteration ${report.bestOrigin.iteration}, candidate ${report.bestOrigin.candidate})`,
      ),
    );
    lines.push(promptDiff(report.baseline, report.best), "");
  }
  lines.push(
    bold(
      `Held-out test (${test.baseline.n} examples${test.complete ? "" : ", budget ran out before the end"})`,
    ),
    `  baseline  ${interval(test.baseline)}`,
    `  final     ${interval(test.best)}`,
    `  gain      ${gain(test.gain)}  ${verdict}`,
    "",
    dim(
      `${report.usage.calls} calls (${report.usage.failedCalls} failed, ${report.usage.cachedCalls} cached) · ${report.usage.inputTokens + report.usage.outputTokens} tokens · ${usd(report.usage.costUsd)} · ${duration(report.elapsedMs)}`,
    ),
  );
  if (savedVersion !== null) lines.push(green(`Saved the winner as prompt version ${savedVersion}.`));
  return lines.join("\n");
}

export function evaluationSummary(report: EvaluationReport, runId: string, label: string): string {
  const metrics = Object.entries(report.metrics).map(([name, value]) => `  ${name.padEnd(22)} ${pct(value)}`);
  return [
    bold(`Run ${runId}`) + dim(` · ${label}`),
    `score  ${interval(report.score)}  (${report.score.n} examples, ${report.failed} failed)`,
    ...metrics,
    dim(
      `${report.usage.calls} calls · ${report.usage.inputTokens + report.usage.outputTokens} tokens · ${usd(report.usage.costUsd)} · ${duration(report.elapsedMs)}`,
    ),
  ].join("\n");
}
