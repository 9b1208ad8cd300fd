// The reports the bundled examples give on the offline sim, pinned byte for byte, for every strategy:
// a change to the loop, the evaluation or the optimizer port that changes what a seeded run decides
// shows here as a diff of the report. Update on purpose only: `npx vitest run examples/reports.test.ts -u`.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createMemoryRecorder } from "@/lib/core/memory-recorder";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import { runOptimization } from "@/lib/core/workflow";
import { EXAMPLE_NAMES, loadExampleTask } from "@/lib/llm/sim/example-tasks";
import { buildRunContext } from "@/lib/services/runs/context";

const STRATEGIES = ["critique-rewrite", "few-shot", "opro", "successive-halving", "gepa", "mipro"] as const;

describe.each(EXAMPLE_NAMES)("examples/%s on sim", (name) => {
  it.each(STRATEGIES)(
    "%s gives the pinned report",
    async (strategy) => {
      const { task, examples } = await loadExampleTask(name);
      const file = path.join(import.meta.dirname, name, "task.yaml");
      const context = buildRunContext(file, { ...task, optimizer: { ...task.optimizer, strategy } });
      try {
        const report = await runOptimization(context.settings, examples, {
          llm: context.llm,
          steps: createMemoryStepRunner(),
          recorder: createMemoryRecorder(),
          // A clock that stands still: elapsed time is a measurement, not an outcome.
          clock: { now: () => 0 },
          scorer: context.scorer,
          optimizer: context.optimizer,
        });
        await expect(`${JSON.stringify(report, null, 2)}\n`).toMatchFileSnapshot(
          `reports/${name}.${strategy}.json`,
        );
      } finally {
        await context.llm.close();
      }
    },
    120_000,
  );
});
