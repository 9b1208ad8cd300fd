// The bundled example tasks: valid task files, datasets that load through the real loader, data that
// its committed generator reproduces byte for byte, and the shape the README promises.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { EXAMPLE_NAMES, loadExampleTask } from "@/lib/llm/sim/example-tasks";
import { generate as generateExtraction } from "./extraction/generate";
import { generate as generateIntent } from "./intent/generate";
import { generate as generateSentiment } from "./sentiment/generate";

const generators = { sentiment: generateSentiment, intent: generateIntent, extraction: generateExtraction };

const count = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
};

describe.each(EXAMPLE_NAMES)("examples/%s", (name) => {
  it("has a valid task file on the simulator, seed 7, and a large enough test split", async () => {
    const { task, examples } = await loadExampleTask(name);
    expect(task.name).toBe(name);
    expect(task.models.task.id).toBe("sim:default");
    expect(task.models.optimizer.id).toBe("sim:default");
    expect(task.models.task.concurrency).toBe(16);
    expect(task.optimizer).toEqual({ strategy: "critique-rewrite", candidates: 3, failures: 8 });
    expect(task.stop).toMatchObject({ maxIterations: 5, patience: 2 });
    expect(task.seed).toBe(7);
    expect(examples.length).toBeGreaterThanOrEqual(100);
    expect(examples.length).toBeLessThanOrEqual(300);
    expect(Math.round(examples.length * task.splits.test)).toBeGreaterThanOrEqual(50);
    expect(new Set(examples.map((e) => Object.values(e.input).join())).size).toBe(examples.length);
  });

  it("is exactly what its generator writes", async () => {
    const { task } = await loadExampleTask(name);
    const committed = await readFile(new URL(`./${name}/${task.dataset.path}`, import.meta.url), "utf8");
    expect(generators[name]()).toBe(committed);
  });
});

describe("the data follows its rules", () => {
  it("sentiment: three labels with mixed, negated and neutral reviews", async () => {
    const { examples } = await loadExampleTask("sentiment");
    const labels = count(examples.map((e) => e.expected));
    expect([...labels.keys()].sort()).toEqual(["negative", "neutral", "positive"]);
    for (const n of labels.values()) expect(n).toBeGreaterThanOrEqual(40);
    const text = (e: (typeof examples)[number]) => e.input.text ?? "";
    expect(examples.filter((e) => /\b(but|however|yet)\b/i.test(text(e))).length).toBeGreaterThanOrEqual(50);
    expect(examples.filter((e) => /\b(not|never|no)\b|n't/i.test(text(e))).length).toBeGreaterThanOrEqual(30);
  });

  it("intent: at least eight intents, many tickets mentioning two things", async () => {
    const { examples } = await loadExampleTask("intent");
    const labels = count(examples.map((e) => e.expected));
    expect(labels.size).toBeGreaterThanOrEqual(8);
    for (const n of labels.values()) expect(n).toBeGreaterThanOrEqual(15);
    const twoThings = examples.filter((e) =>
      /[.?!] \S/.test((e.input.ticket ?? "").replace(/^(Hi|Hello team|Hey|Good morning),\s*/, "")),
    );
    expect(twoThings.length).toBeGreaterThanOrEqual(60);
  });

  it("extraction: ISO dates, numeric totals, currency codes and nulls for what is missing", async () => {
    const { examples } = await loadExampleTask("extraction");
    const values = examples.map((e) => JSON.parse(e.expected) as Record<string, unknown>);
    for (const v of values) {
      expect(Object.keys(v)).toEqual(["customer", "date", "total", "currency", "product"]);
      expect(v.date === null || /^\d{4}-\d{2}-\d{2}$/.test(v.date as string)).toBe(true);
      expect(v.total === null || typeof v.total === "number").toBe(true);
      expect(v.currency === null || /^[A-Z]{3}$/.test(v.currency as string)).toBe(true);
      expect(typeof v.product).toBe("string");
    }
    for (const key of ["customer", "date", "total"]) expect(values.some((v) => v[key] === null)).toBe(true);
  });
});
