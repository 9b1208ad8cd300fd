// `strop compare <task-file>`: every strategy (or the ones named) on the task file's prompt, dataset,
// splits, seed and models, each with the same budget; prints held-out score, gain and spend per strategy.
import { InputError } from "@/lib/core/errors";
import { getDb } from "@/lib/services/database";
import { compareStrategiesOnTaskFile } from "@/lib/services/strategy-comparison";
import { intFlag, type ParsedArgs, projectFlag } from "../args";
import { table } from "../format";

export const COMPARE_USAGE = `strop compare <task-file> [--strategies a,b,…] [--budget-calls N | --budget-tokens N | --budget-usd X] [--json]
  Runs each strategy (default: all) on the task file's prompt, dataset, splits, seed and models with the
  same budget (default: the task file's), in memory — nothing is stored — and prints, per strategy, the
  held-out test score of its best prompt and the gain over the baseline with 95% intervals, and what it
  spent (calls, tokens, cost).`;

function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const value = args.flags[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value === true || !(n > 0)) throw new InputError(`--${name} must be a positive number`);
  return n;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}`;

export async function compareCommand(args: ParsedArgs): Promise<number> {
  const [file, extra] = args.positionals;
  if (!file) throw new InputError(`name a task file\n\n${COMPARE_USAGE}`);
  if (extra) throw new InputError(`unexpected argument "${extra}"`);
  const strategies =
    typeof args.flags.strategies === "string"
      ? args.flags.strategies.split(",").map((s) => s.trim())
      : undefined; // every registered strategy
  const budget = {
    calls: intFlag(args, "budget-calls"),
    tokens: intFlag(args, "budget-tokens"),
    costUsd: numberFlag(args, "budget-usd"),
  };
  const quiet = args.flags.quiet === true || args.flags.json === true;
  const results = await compareStrategiesOnTaskFile(file, {
    strategies,
    budget: Object.fromEntries(Object.entries(budget).filter(([, v]) => v !== undefined)),
    db: await getDb(),
    project: projectFlag(args),
    onProgress: quiet
      ? undefined
      : (strategy, p) => {
          if (p.done === p.total)
            process.stderr.write(`\r\x1b[2K${strategy}: ${p.step} ${p.done}/${p.total}`);
        },
  });
  if (!quiet) process.stderr.write("\r\x1b[2K");
  if (args.flags.json === true) {
    console.log(
      JSON.stringify(
        results.map((r) => ({
          strategy: r.strategy,
          test: r.report.test,
          usage: r.report.usage,
          stopReason: r.report.stopReason,
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  const rows = results.map(({ strategy, report }) => {
    const { best, gain } = report.test;
    return [
      strategy,
      // n: the test examples scored (fewer than the split when the budget ran out first).
      `${pct(best.mean)} [${pct(best.low)}, ${pct(best.high)}] n=${best.n}`,
      `${pts(gain.mean)} [${pts(gain.low)}, ${pts(gain.high)}]`,
      String(report.usage.calls),
      String(report.usage.inputTokens + report.usage.outputTokens),
      `$${report.usage.costUsd.toFixed(2)}`,
      report.stopReason,
    ];
  });
  console.log(
    table(
      ["strategy", "held-out score [95% CI]", "gain, pts [95% CI]", "calls", "tokens", "cost", "stopped"],
      rows,
    ),
  );
  return 0;
}
