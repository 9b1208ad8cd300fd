// The task worlds: generated the same way for a seed, a task model that follows only stated rules, an
// optimizer model that finds rules from failures. These are the mechanics the strategy comparison
// (lib/services/strategy-comparison.ts) relies on.
import { describe, expect, it } from "vitest";
import { buildMessages } from "../prompt";
import { generateWorld } from "./generate";
import { rulesDiscovered, statedRules, worldModels } from "./models";

describe("generateWorld", () => {
  it("is the same world for a seed and another world for another seed", () => {
    expect(generateWorld(5)).toEqual(generateWorld(5));
    expect(generateWorld(6).rules).not.toEqual(generateWorld(5).rules);
    const world = generateWorld(5);
    expect(world.rules.length).toBeGreaterThanOrEqual(3);
    expect(world.rules.every((r) => r.label !== world.defaultLabel && world.labels.includes(r.label))).toBe(
      true,
    );
    for (const e of world.examples) {
      const rule = world.rules.find((r) => e.input.text?.split(" ").includes(r.trigger));
      expect(e.expected).toBe(rule ? rule.label : world.defaultLabel);
    }
  });
});

describe("world models", () => {
  const world = generateWorld(11);
  const rule = world.rules[0] as { trigger: string; label: string };
  const example = world.examples.find((e) => e.input.text?.split(" ").includes(rule.trigger));
  const ask = async (systemPrompt: string) => {
    const llm = worldModels(world);
    const prompt = { ...world.prompt, systemPrompt };
    return (
      await llm.generate({ model: "sim:default", messages: buildMessages(prompt, example?.input ?? {}) })
    ).text;
  };

  it("the task model follows a rule only when the prompt states it, wrong ones too", async () => {
    expect(example).toBeDefined();
    expect(await ask(world.prompt.systemPrompt)).toBe(world.defaultLabel);
    const stated = `${world.prompt.systemPrompt}\n- If the text contains "${rule.trigger}", answer ${rule.label}.`;
    expect(await ask(stated)).toBe(rule.label);
    const other = world.labels.find((l) => l !== rule.label) as string;
    expect(await ask(`x\n- If the text contains "${rule.trigger}", answer ${other}.`)).toBe(other);
    expect(rulesDiscovered(world, stated)).toBeCloseTo(1 / world.rules.length, 10);
    expect(statedRules('- if it has "zz" answer nope', world.labels).size).toBe(0);
  });

  it("the optimizer model proposes rules supported by the failures, never one already tried", async () => {
    const failures = world.examples
      .filter((e) => e.expected !== world.defaultLabel)
      .slice(0, 8)
      .map((e) => ({ input: e.input, expected: e.expected, actual: world.defaultLabel }));
    const brief = { k: 3, current: world.prompt, failures, history: [] };
    const llm = worldModels(world);
    const reply = await llm.generate({
      model: "sim:default",
      messages: [{ role: "user", content: `<brief>${JSON.stringify(brief)}</brief>` }],
    });
    const { candidates } = JSON.parse(reply.text) as { candidates: { systemPrompt: string }[] };
    expect(candidates.length).toBeGreaterThan(0);
    // The best-supported candidate states at least one true rule.
    expect(Math.max(...candidates.map((c) => rulesDiscovered(world, c.systemPrompt)))).toBeGreaterThan(0);
    const again = await llm.generate({
      model: "sim:default",
      messages: [
        { role: "user", content: `<brief>${JSON.stringify({ ...brief, history: candidates })}</brief>` },
      ],
    });
    const repeated = (JSON.parse(again.text) as { candidates: { systemPrompt: string }[] }).candidates;
    expect(repeated.filter((c) => candidates.some((o) => o.systemPrompt === c.systemPrompt))).toEqual([]);
    expect(llm.calls()).toBe(2);
  });
});
