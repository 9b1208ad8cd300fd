import { describe, expect, it } from "vitest";
import { loadExampleTask } from "./example-tasks";
import { messagesFor } from "./harness";
import { simChat } from "./index";

describe("simChat", () => {
  const messages = [
    { role: "system" as const, content: "Classify the sentiment as positive or negative." },
    { role: "user" as const, content: "What a wonderful film." },
  ];

  it("answers the task the prompt describes", () => {
    expect(simChat({ model: "default", messages }).text).toBe("positive");
  });

  it("is deterministic and estimates usage at about four characters per token", () => {
    const a = simChat({ model: "default", messages, seed: 5, temperature: 0.3 });
    expect(simChat({ model: "default", messages, seed: 5, temperature: 0.3 })).toEqual(a);
    const chars = messages.reduce((n, m) => n + m.content.length, 0);
    expect(a.usage.inputTokens).toBeGreaterThanOrEqual(Math.ceil(chars / 4));
    expect(a.usage.inputTokens).toBeLessThanOrEqual(Math.ceil(chars / 4) + messages.length);
    expect(a.usage.outputTokens).toBe(Math.ceil(a.text.length / 4));
  });

  it("answers prompts it cannot read as a task plainly, and never throws on odd input", () => {
    expect(simChat({ model: "default", messages: [] }).text).toMatch(/\S/);
    expect(
      simChat({ model: "default", messages: [{ role: "user", content: "Tell me about Lisbon." }] }).text,
    ).toMatch(/Lisbon/);
    expect(simChat({ model: "default", messages: [{ role: "assistant", content: "hi" }] }).text).toMatch(
      /\S/,
    );
  });

  it("answers a task call in well under a millisecond", async () => {
    const task = await loadExampleTask("intent");
    const calls = task.examples.map((e) => messagesFor(task.start, e.input));
    for (const m of calls.slice(0, 20)) simChat({ model: "default", messages: m });
    const started = performance.now();
    for (let round = 0; round < 5; round++)
      for (const m of calls) simChat({ model: "default", messages: m, seed: round });
    const perCall = (performance.now() - started) / (5 * calls.length);
    expect(perCall).toBeLessThan(0.5);
  });
});
