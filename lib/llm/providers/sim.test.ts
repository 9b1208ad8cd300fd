// The sim provider through the same AI SDK path as real providers, and the fake server's default of
// delegating to the simulator. The end-to-end part runs once lib/llm/sim/index.ts exists.
import { existsSync } from "node:fs";
import { embedMany, generateText } from "ai";
import { describe, expect, it } from "vitest";
import { createLlm } from "../gateway";
import { startFakeOpenAIServer } from "../testing/fake-openai-server";
import { loadSim, SimLanguageModel, toSimMessages } from "./sim";

const hasSim = existsSync(new URL("../sim/index.ts", import.meta.url));

describe("toSimMessages", () => {
  it("flattens an AI SDK prompt to text messages in order", () => {
    expect(
      toSimMessages([
        { role: "system", content: "S" },
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
        { role: "assistant", content: [{ type: "text", text: "c" }] },
        { role: "tool", content: [] },
      ]),
    ).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: "a\nb" },
      { role: "assistant", content: "c" },
    ]);
  });
});

describe("SimLanguageModel", () => {
  it("throws the abort reason before touching the simulator", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      new SimLanguageModel("default").doGenerate({ prompt: [], abortSignal: controller.signal }),
    ).rejects.toThrow(/abort/i);
  });
});

describe.skipIf(!hasSim)("with the simulator", () => {
  const messages = [
    { role: "system" as const, content: "Classify the sentiment as positive or negative." },
    { role: "user" as const, content: "What a wonderful film." },
  ];

  it("generateText on sim:default returns what simChat returns", async () => {
    const sim = await loadSim();
    const expected = sim.simChat({ model: "default", messages, temperature: 0, seed: 5 });
    const result = await generateText({
      model: new SimLanguageModel("default"),
      messages,
      allowSystemInMessages: true,
      temperature: 0,
      seed: 5,
    });
    expect(result.text).toBe(expected.text);
    expect(result.usage.inputTokens).toBe(expected.usage.inputTokens);
    expect(result.usage.outputTokens).toBe(expected.usage.outputTokens);
  });

  it("the gateway serves sim ids at zero cost, JSON mode included", async () => {
    const sim = await loadSim();
    const llm = createLlm({ env: {} });
    const response = await llm.generate({
      model: "sim:default",
      messages,
      params: { seed: 5, temperature: 0 },
      json: true,
    });
    expect(response.text).toBe(
      sim.simChat({ model: "default", messages, temperature: 0, seed: 5, json: true }).text,
    );
    expect(response.costUsd).toBe(0);
    expect(response.cached).toBe(false);
  });

  it("embeds through embedMany", async () => {
    const sim = await loadSim();
    const llm = createLlm({ env: {} });
    const texts = ["good", "bad"];
    const result = await llm.embed("sim:default", texts);
    expect(result.embeddings).toEqual(sim.simEmbed(texts));
    const direct = await embedMany({
      model: (await import("./sim")).simProvider.embeddingModel!({ modelName: "default", env: {} }),
      values: texts,
    });
    expect(direct.embeddings).toEqual(result.embeddings);
  });

  it("the fake server answers like the sim over real HTTP by default", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const llm = createLlm({ env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL } });
      const params = { seed: 5, temperature: 0 };
      const [overHttp, direct] = await Promise.all([
        llm.generate({ model: "openai-compatible:default", messages, params }),
        llm.generate({ model: "sim:default", messages, params }),
      ]);
      expect(overHttp.text).toBe(direct.text);
      expect(overHttp.usage).toEqual(direct.usage);
      const embedded = await llm.embed("openai-compatible:default", ["good"]);
      expect(embedded.embeddings).toEqual((await loadSim()).simEmbed(["good"]));
    } finally {
      await server.close();
    }
  });
});
