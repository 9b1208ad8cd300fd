// The gateway over real HTTP: openai-compatible and openai providers against the loopback fake server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError } from "../core/ports";
import { createLlm } from "./gateway";
import { type FakeCall, type FakeServer, startFakeOpenAIServer } from "./testing/fake-openai-server";

let server: FakeServer;
const calls: FakeCall[] = [];
/** The latest call of a kind for a model (a call aborted earlier may still reach `respond` late). */
const lastCall = (model: string, kind: FakeCall["kind"] = "chat") =>
  calls.findLast((c) => c.model === model && c.kind === kind);

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    latencyMs: (call) => (call.model === "slow" ? 60 : 0),
    respond(call) {
      calls.push(call);
      if (call.kind === "embeddings")
        return { embeddings: call.input.map((t) => [t.length, 1, 0]), promptTokens: 7 };
      return {
        content: `echo:${call.messages.at(-1)?.content}`,
        usage: { promptTokens: 1000, completionTokens: 500 },
      };
    },
  });
});

afterAll(() => server.close());

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Hi" },
  { role: "assistant" as const, content: "Hello." },
  { role: "user" as const, content: "Classify: great movie" },
];

describe("generate through openai-compatible", () => {
  it("sends messages in order with params, reads usage, prices it and measures latency", async () => {
    const llm = createLlm({
      env: {},
      models: { "openai-compatible:slow": { baseURL: server.baseURL, price: { input: 2, output: 10 } } },
    });
    const response = await llm.generate({
      model: "openai-compatible:slow",
      messages,
      params: { temperature: 0.3, maxOutputTokens: 64, topP: 0.9, seed: 7 },
    });
    expect(response.text).toBe("echo:Classify: great movie");
    expect(response.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    expect(response.costUsd).toBeCloseTo((1000 * 2 + 500 * 10) / 1e6, 12);
    expect(response.cached).toBe(false);
    expect(response.latencyMs).toBeGreaterThanOrEqual(55);

    const request = server.requests.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    const body = request.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: "slow", temperature: 0.3, max_tokens: 64, top_p: 0.9, seed: 7 });
    expect(body.response_format).toBeUndefined();
    expect(body.messages).toEqual(messages);
  });

  it("json: true asks for a JSON object", async () => {
    const llm = createLlm({ env: {}, models: { "openai-compatible:m": { baseURL: server.baseURL } } });
    await llm.generate({
      model: "openai-compatible:m",
      messages: [{ role: "user", content: "json please" }],
      json: true,
    });
    expect((server.requests.at(-1)!.body as Record<string, unknown>).response_format).toEqual({
      type: "json_object",
    });
    expect(lastCall("m")!.json).toBe(true);
  });

  it("costs 0 by default and reads the base URL and key from the environment", async () => {
    const llm = createLlm({
      env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL, OPENAI_COMPATIBLE_API_KEY: "local-secret-key" },
    });
    const response = await llm.generate({
      model: "openai-compatible:m",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.costUsd).toBe(0);
    expect(server.requests.at(-1)!.headers.authorization).toBe("[redacted]");
  });

  it("a key variable named by the model config must be set", async () => {
    const llm = createLlm({
      env: {},
      models: { "openai-compatible:m": { baseURL: server.baseURL, apiKeyEnv: "MY_KEY" } },
    });
    const error = await llm
      .generate({ model: "openai-compatible:m", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toContain("MY_KEY");
    expect(error.retryable).toBe(false);
  });

  it("respects an aborted signal", async () => {
    const llm = createLlm({ env: {}, models: { "openai-compatible:slow": { baseURL: server.baseURL } } });
    const controller = new AbortController();
    const pending = llm.generate({
      model: "openai-compatible:slow",
      messages: [{ role: "user", content: "x" }],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toMatch(/aborted/);
    expect(error.retryable).toBe(false);
  });

  it("rejects an unknown provider as a non-retryable LlmError", async () => {
    const error = await createLlm({ env: {} })
      .generate({ model: "mystery:x", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toContain("mystery:x");
    expect(error.retryable).toBe(false);
  });
});

describe("embed", () => {
  it("embeds over HTTP and prices the input tokens", async () => {
    const llm = createLlm({
      env: {},
      models: { "openai-compatible:emb": { baseURL: server.baseURL, price: { input: 1, output: 0 } } },
    });
    const result = await llm.embed("openai-compatible:emb", ["ab", "abcd"]);
    expect(result.embeddings).toEqual([
      [2, 1, 0],
      [4, 1, 0],
    ]);
    expect(result.usage.inputTokens).toBe(7);
    expect(result.costUsd).toBeCloseTo(7 / 1e6, 15);
    const request = server.requests.at(-1)!;
    expect(request.path).toBe("/v1/embeddings");
    expect(request.body).toMatchObject({ model: "emb", input: ["ab", "abcd"] });
  });

  it("fails clearly for a provider without embeddings", async () => {
    const llm = createLlm({ env: { ANTHROPIC_API_KEY: "k" } });
    const error = await llm.embed("anthropic:claude-haiku-4-5", ["x"]).catch((e) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toMatch(/no embedding models/);
  });
});

describe("the openai provider against the fake server", () => {
  const env = { OPENAI_API_KEY: "sk-test-0123456789" };

  it("uses Chat Completions by default (seed is sent)", async () => {
    const llm = createLlm({ env, models: { "openai:gpt-4o-mini": { baseURL: server.baseURL } } });
    const response = await llm.generate({ model: "openai:gpt-4o-mini", messages, params: { seed: 3 } });
    expect(response.text).toBe("echo:Classify: great movie");
    // The built-in table prices gpt-4o-mini at 0.15 / 0.60 per million.
    expect(response.costUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 12);
    const request = server.requests.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("[redacted]");
    expect(request.body).toMatchObject({ model: "gpt-4o-mini", seed: 3 });
  });

  it("reads OPENAI_BASE_URL", async () => {
    const llm = createLlm({ env: { ...env, OPENAI_BASE_URL: server.baseURL } });
    const response = await llm.generate({
      model: "openai:gpt-4.1",
      messages: [{ role: "user", content: "x" }],
    });
    expect(response.text).toBe("echo:x");
  });

  it('uses the Responses API with api: "responses"', async () => {
    const llm = createLlm({
      env,
      models: { "openai:gpt-4.1-mini": { baseURL: server.baseURL, api: "responses" } },
    });
    const response = await llm.generate({ model: "openai:gpt-4.1-mini", messages, json: true });
    expect(response.text).toBe("echo:Classify: great movie");
    expect(response.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe("/v1/responses");
    expect(request.body).toMatchObject({ text: { format: { type: "json_object" } } });
    const call = lastCall("gpt-4.1-mini", "responses")!;
    expect(call.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(call.json).toBe(true);
  });

  it("embeds with text-embedding-3-small", async () => {
    const llm = createLlm({ env, models: { "openai:text-embedding-3-small": { baseURL: server.baseURL } } });
    const result = await llm.embed("openai:text-embedding-3-small", ["hello"]);
    expect(result.embeddings).toEqual([[5, 1, 0]]);
    expect(result.costUsd).toBeCloseTo((7 * 0.02) / 1e6, 15);
  });

  it("names OPENAI_API_KEY when it is missing", async () => {
    const llm = createLlm({ env: {}, models: { "openai:gpt-4o": { baseURL: server.baseURL } } });
    const error = await llm
      .generate({ model: "openai:gpt-4o", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toContain("OPENAI_API_KEY");
    expect(error.retryable).toBe(false);
  });
});
