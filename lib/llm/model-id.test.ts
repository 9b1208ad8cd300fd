import { describe, expect, it } from "vitest";
import { ModelIdError, PROVIDER_IDS, parseModelId } from "./model-id";

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
    for (const provider of PROVIDER_IDS) expect(parseModelId(`${provider}:m`).provider).toBe(provider);
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
