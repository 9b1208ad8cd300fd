import { describe, expect, it } from "vitest";
import { ModelIdError, PROVIDER_IDS, parseModelId, SIM_MODEL_NAMES } from "./model-id";

describe("parseModelId", () => {
  it("splits at the first colon", () => {
    expect(parseModelId("openai:gpt-4o-mini")).toEqual({
      id: "openai:gpt-4o-mini",
      provider: "openai",
      modelName: "gpt-4o-mini",
    });
    expect(parseModelId("openai-compatible:llama3.2:3b").modelName).toBe("llama3.2:3b");
    expect(parseModelId("sim:default").provider).toBe("sim");
  });

  it("accepts every known provider", () => {
    for (const provider of PROVIDER_IDS) {
      const model = provider === "sim" ? "default" : "m";
      expect(parseModelId(`${provider}:${model}`).provider).toBe(provider);
    }
  });

  it("accepts only the simulator's declared models, naming them all otherwise", () => {
    for (const name of SIM_MODEL_NAMES) expect(parseModelId(`sim:${name}`).modelName).toBe(name);
    expect(() => parseModelId("sim:nope")).toThrow(ModelIdError);
    expect(() => parseModelId("sim:nope")).toThrow(
      'Unknown simulator model "sim:nope"; known simulator models: sim:default, sim:other, sim:opt, sim:judge, sim:embed, sim:paced, sim:slow',
    );
    // Names are exact: no case folding, no prototype keys.
    expect(() => parseModelId("sim:Default")).toThrow(/Unknown simulator model/);
    expect(() => parseModelId("sim:toString")).toThrow(/Unknown simulator model/);
  });

  it("names the id and lists the known providers for an unknown provider", () => {
    expect(() => parseModelId("azure:gpt-4o")).toThrow(ModelIdError);
    expect(() => parseModelId("azure:gpt-4o")).toThrow(
      'Unknown provider "azure" in model id "azure:gpt-4o"; known providers: openai, anthropic, vertex, openai-compatible, sim',
    );
  });

  it("rejects ids without a provider or a model name", () => {
    expect(() => parseModelId("gpt-4o")).toThrow(/Invalid model id "gpt-4o".*known providers: openai/);
    expect(() => parseModelId(":gpt-4o")).toThrow(/Invalid model id/);
    expect(() => parseModelId("openai:")).toThrow(/model name after "openai:" is empty/);
    expect(() => parseModelId("OpenAI:gpt-4o")).toThrow(/Unknown provider "OpenAI"/);
  });
});
