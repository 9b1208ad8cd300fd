// The simulator's quality targets on the bundled examples, through an emulation of the optimization
// loop (harness.ts): the optimizer sees failures from one half of the rows only, and the gains must
// hold on the other half too.
import { describe, expect, it } from "vitest";
import { EXAMPLE_NAMES, loadExampleTask } from "./example-tasks";
import { emulateOptimization, evaluatePrompt, halves } from "./harness";

const ROUNDS = 4;

describe.each(EXAMPLE_NAMES)("the %s example", (name) => {
  it("starts weak, improves within a few optimizer rounds, and the gain holds on unseen rows", async () => {
    const task = await loadExampleTask(name);
    const [seen, unseen] = halves(task.examples);
    const trace = emulateOptimization({
      start: task.start,
      seen,
      unseen,
      metric: task.metric,
      rounds: ROUNDS,
    });
    const line = (label: string, r: { seen: number; unseen: number }) =>
      `${label.padEnd(9)} seen ${r.seen.toFixed(3)}  unseen ${r.unseen.toFixed(3)}`;
    console.log(
      [
        `${name} (${task.examples.length} rows, ${task.metric})`,
        line("start", trace.start),
        ...trace.rounds.map((r) => `${line(`round ${r.round}`, r)}${r.accepted ? "  accepted" : ""}`),
      ].join("\n  "),
    );

    const overall = evaluatePrompt(task.start, task.examples, task.metric).mean;
    if (name === "extraction") expect(overall).toBeLessThan(0.6);
    else {
      expect(overall).toBeGreaterThan(0.3);
      expect(overall).toBeLessThan(0.6);
    }
    const final = trace.rounds.at(-1) as (typeof trace.rounds)[number];
    expect(final.seen).toBeGreaterThanOrEqual(0.8);
    expect(final.unseen).toBeGreaterThanOrEqual(0.8);
    expect(final.unseen - trace.start.unseen).toBeGreaterThan(0.25);
    // Acceptance has something to reject: vague candidates are proposed and never win.
    const vague = trace.rounds
      .flatMap((r) => r.candidates)
      .filter((c) => /no specific failure/.test(c.rationale));
    expect(vague.length).toBeGreaterThan(0);
    expect(trace.rounds.some((r) => r.accepted && /no specific failure/.test(r.rationale))).toBe(false);
  });
});
