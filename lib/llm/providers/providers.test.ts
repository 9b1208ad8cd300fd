// Every registered provider: builds its models, fails clearly without credentials, and (where cheap)
// speaks its wire format to a loopback stub.
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError } from "../../core/ports";
import { createLlm } from "../gateway";
import { PROVIDER_IDS } from "../model-id";
import { type JsonStub, startJsonStub } from "../testing/json-stub-server";
import { MissingCredentialError } from "./credentials";
import { providers } from "./index";

const fullEnv = {
  OPENAI_API_KEY: "sk-test",
  ANTHROPIC_API_KEY: "anthropic-test",
  GOOGLE_VERTEX_API_KEY: "vertex-test",
};

describe("registry", () => {
  it("has one entry per provider id", () => {
    expect(Object.keys(providers).sort()).toEqual([...PROVIDER_IDS].sort());
    for (const id of PROVIDER_IDS) expect(providers[id].id).toBe(id);
  });

  it.each(PROVIDER_IDS)("%s builds a language model (and an embedding model where it has one)", (id) => {
    const entry = providers[id];
    const model = entry.languageModel({ modelName: "some-model", env: fullEnv });
    expect(model.specificationVersion).toBe("v3");
    expect(model.modelId).toBe("some-model");
    if (entry.embeddingModel) {
      expect(entry.embeddingModel({ modelName: "some-embedder", env: fullEnv }).specificationVersion).toBe(
        "v3",
      );
    }
  });
});

describe("missing credentials", () => {
  it.each([
    ["openai", "OPENAI_API_KEY"],
    ["anthropic", "ANTHROPIC_API_KEY"],
    ["vertex", "GOOGLE_VERTEX_PROJECT"],
  ] as const)("%s names %s", (id, envVar) => {
    const build = () => providers[id].languageModel({ modelName: "m", env: {} });
    expect(build).toThrow(MissingCredentialError);
    expect(build).toThrow(envVar);
  });

  it("vertex's message also mentions the other ways in", () => {
    expect(() => providers.vertex.languageModel({ modelName: "m", env: {} })).toThrow(
      /GOOGLE_APPLICATION_CREDENTIALS.*GOOGLE_VERTEX_API_KEY/,
    );
  });

  it("a model config's apiKeyEnv replaces the default variable in the message", () => {
    expect(() =>
      providers.anthropic.languageModel({ modelName: "m", apiKeyEnv: "TEAM_ANTHROPIC_KEY", env: {} }),
    ).toThrow("TEAM_ANTHROPIC_KEY");
  });

  it("vertex with a project builds without a key (token signed later, at request time)", () => {
    const model = providers.vertex.languageModel({
      modelName: "gemini-2.5-flash",
      env: { GOOGLE_VERTEX_PROJECT: "p" },
    });
    expect(model.modelId).toBe("gemini-2.5-flash");
  });

  it("the gateway raises it on first use, as a non-retryable LlmError", async () => {
    const llm = createLlm({ env: {} }); // creating the gateway does not check credentials
    const error = await llm
      .generate({ model: "anthropic:claude-haiku-4-5", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("ANTHROPIC_API_KEY");
  });
});

describe("anthropic against a loopback /v1/messages stub", () => {
  let stub: JsonStub;
  beforeAll(async () => {
    stub = await startJsonStub(() => ({
      body: {
        id: "msg_stub",
        type: "message",
        role: "assistant",
        model: "claude-haiku-4-5",
        content: [{ type: "text", text: "positive" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 1000, output_tokens: 100 },
      },
    }));
  });
  afterAll(() => stub.close());

  it("sends the Messages API shape and prices the usage", async () => {
    const llm = createLlm({
      env: { ANTHROPIC_API_KEY: "anthropic-secret" },
      models: { "anthropic:claude-haiku-4-5": { baseURL: `${stub.url}/v1` } },
    });
    const response = await llm.generate({
      model: "anthropic:claude-haiku-4-5",
      messages: [
        { role: "system", content: "Label sentiment." },
        { role: "user", content: "I loved it" },
      ],
      params: { temperature: 0, maxOutputTokens: 20, seed: 1 },
      json: true,
    });
    expect(response.text).toBe("positive");
    expect(response.usage).toEqual({ inputTokens: 1000, outputTokens: 100 });
    expect(response.costUsd).toBeCloseTo((1000 * 1 + 100 * 5) / 1e6, 12);
    const request = stub.requests[0]!;
    expect(request.path).toBe("/v1/messages");
    expect(request.headers["x-api-key"]).toBe("[redacted]");
    // Anthropic has no seed and no schema-less JSON mode: both are left out rather than warned about.
    expect(request.body).not.toHaveProperty("seed");
    expect(request.body).toMatchObject({
      model: "claude-haiku-4-5",
      system: [{ type: "text", text: "Label sentiment." }],
      messages: [{ role: "user", content: [{ type: "text", text: "I loved it" }] }],
      max_tokens: 20,
      temperature: 0,
    });
  });
});

describe("vertex express mode against a loopback :generateContent stub", () => {
  let stub: JsonStub;
  beforeAll(async () => {
    stub = await startJsonStub((request) =>
      request.path.endsWith(":predict")
        ? { body: { predictions: [{ embeddings: { values: [0.1, 0.2], statistics: { token_count: 3 } } }] } }
        : {
            body: {
              candidates: [
                {
                  content: { role: "model", parts: [{ text: '{"label":"positive"}' }] },
                  finishReason: "STOP",
                },
              ],
              usageMetadata: { promptTokenCount: 2000, candidatesTokenCount: 10, totalTokenCount: 2010 },
            },
          },
    );
  });
  afterAll(() => stub.close());

  it("sends Gemini's shape with the key header, JSON mode included", async () => {
    const llm = createLlm({
      env: { GOOGLE_VERTEX_API_KEY: "vertex-secret" },
      models: { "vertex:gemini-2.5-flash": { baseURL: stub.url } },
    });
    const response = await llm.generate({
      model: "vertex:gemini-2.5-flash",
      messages: [
        { role: "system", content: "Answer in JSON." },
        { role: "user", content: "I loved it" },
      ],
      json: true,
    });
    expect(response.text).toBe('{"label":"positive"}');
    expect(response.usage).toEqual({ inputTokens: 2000, outputTokens: 10 });
    expect(response.costUsd).toBeCloseTo((2000 * 0.3 + 10 * 2.5) / 1e6, 12);
    const request = stub.requests.at(-1)!;
    expect(request.path).toBe("/models/gemini-2.5-flash:generateContent");
    expect(request.headers["x-goog-api-key"]).toBe("[redacted]");
    expect(request.body).toMatchObject({
      systemInstruction: { parts: [{ text: "Answer in JSON." }] },
      contents: [{ role: "user", parts: [{ text: "I loved it" }] }],
      generationConfig: { responseMimeType: "application/json" },
    });
  });

  it("embeds through :predict", async () => {
    const llm = createLlm({
      env: { GOOGLE_VERTEX_API_KEY: "vertex-secret" },
      models: { "vertex:text-embedding-005": { baseURL: stub.url } },
    });
    const result = await llm.embed("vertex:text-embedding-005", ["hello"]);
    expect(result.embeddings).toEqual([[0.1, 0.2]]);
    expect(stub.requests.at(-1)!.path).toBe("/models/text-embedding-005:predict");
  });

  it("works through generateText directly, too", async () => {
    const model = providers.vertex.languageModel({
      modelName: "gemini-2.0-flash",
      baseURL: stub.url,
      env: { GOOGLE_VERTEX_API_KEY: "k" },
    });
    const result = await generateText({ model, prompt: "hi", maxRetries: 0 });
    expect(result.text).toBe('{"label":"positive"}');
  });
});
