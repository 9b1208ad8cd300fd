// Compares the search strategies at a matched call budget on procedurally generated task worlds
// (lib/core/worlds, lib/services/strategy-comparison.ts) and prints a markdown table: mean held-out gain
// and share of hidden rules discovered, with 95% intervals across worlds.
//
//   npx tsx scripts/compare-strategies.ts [--seeds 9001-9050] [--budget 1500] [--strategies a,b] [--json]
//
// Seeds 1–100 are for developing strategies; the published table (docs/strategy-comparison.md) uses
// 9001–9050, which were not run while the strategies were written.
import { optimizerNames } from "@/lib/optimizers/registry";
import {
  compareStrategiesOnWorlds,
  DEFAULT_COMPARISON,
  type MeanInterval,
} from "@/lib/services/strategy-comparison";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function seedRange(spec: string): number[] {
  const [from, to] = spec.split("-").map(Number) as [number, number | undefined];
  return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
}

const seeds = seedRange(flag("seeds") ?? "9001-9050");
const strategies = (flag("strategies") ?? optimizerNames.join(",")).split(",");
const settings = {
  ...DEFAULT_COMPARISON,
  budgetCalls: Number(flag("budget") ?? DEFAULT_COMPARISON.budgetCalls),
};
const started = Date.now();
const { results, summaries } = await compareStrategiesOnWorlds(strategies, seeds, settings);

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ settings, seeds, summaries, results }, null, 2));
} else {
  const pct = (m: MeanInterval) =>
    `${(100 * m.mean).toFixed(1)} [${(100 * m.low).toFixed(1)}, ${(100 * m.high).toFixed(1)}]`;
  console.log(
    `${seeds.length} worlds (seeds ${seeds[0]}–${seeds.at(-1)}), budget ${settings.budgetCalls} calls, ` +
      `at most ${settings.maxIterations} iterations, ${settings.candidates} candidates; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  console.log(
    "| strategy | held-out gain, points [95% CI] | hidden rules found, % [95% CI] | calls used (mean) |",
  );
  console.log("|---|---|---|---|");
  for (const s of summaries)
    console.log(
      `| \`${s.strategy}\` | ${pct(s.gain)} | ${pct(s.rulesDiscovered)} | ${s.calls.mean.toFixed(0)} |`,
    );
}
