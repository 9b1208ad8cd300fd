// Per-model runtimes (rate-limit keys, endpoints, unsupported settings) and one provider attempt
// (timeouts, aborts, the request the model gets), without a server.
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { LlmError } from "../../core/ports";
import { DEFAULT_TIMEOUT_MS, ModelRuntimes } from "./models";
import { generateOnce, withTimeout } from "./provider-call";
import { AttemptTimeoutError, DEFAULT_MAX_RETRIES } from "./retry";

const runtimes = (configs = {}, env: Record<string, string> = {}) =>
  new ModelRuntimes(configs, { env, fetch: globalThis.fetch });

describe("model runtimes", () => {
  it("keys rate limits by provider, model and a short fingerprint of endpoint and credentials", () => {
    const key = (env: Record<string, string>, config = {}) =>
      runtimes({ "openai:gpt-4o": config }, env).get("openai:gpt-4o").limitKey;
    const base = key({ OPENAI_API_KEY: "sk-a" });
    expect(base).toMatch(/^openai:[0-9a-f]{16}:gpt-4o$/);
    expect(base).not.toContain("sk-a");
    expect(key({ OPENAI_API_KEY: "sk-a" })).toBe(base);
    expect(key({ OPENAI_API_KEY: "sk-b" })).not.toBe(base);
    expect(key({ OPENAI_API_KEY: "sk-a", OPENAI_BASE_URL: "http://proxy/v1" })).not.toBe(base);
    expect(key({ OPENAI_API_KEY: "sk-a" }, { baseURL: "http://proxy/v1" })).not.toBe(base);
    expect(key({ OPENAI_API_KEY: "sk-a", MY_KEY: "sk-c" }, { apiKeyEnv: "MY_KEY" })).not.toBe(base);
    // The model name is part of the key, outside the fingerprint.
    expect(runtimes({}, { OPENAI_API_KEY: "sk-a" }).get("openai:gpt-4o-mini").limitKey).toBe(
      base.replace(/gpt-4o$/, "gpt-4o-mini"),
    );
  });

  it("takes the endpoint from the config, else the provider's base-URL variable, else none", () => {
    expect(runtimes({}, { OPENAI_API_KEY: "sk" }).get("openai:m").endpoint).toBeUndefined();
    expect(
      runtimes({}, { OPENAI_API_KEY: "sk", OPENAI_BASE_URL: "http://proxy/v1" }).get("openai:m").endpoint,
    ).toBe("http://proxy/v1");
    expect(
      runtimes({ "openai:m": { baseURL: "http://own/v1" } }, { OPENAI_BASE_URL: "http://proxy/v1" }).get(
        "openai:m",
      ).endpoint,
    ).toBe("http://own/v1");
  });

  it("applies per-model settings over the gateway's, over the defaults; one runtime per model id", () => {
    const set = new ModelRuntimes(
      { "openai:a": { maxRetries: 1, timeoutMs: 5, concurrency: 2 } },
      { env: {}, fetch: globalThis.fetch, maxRetries: 7, timeoutMs: 9 },
    );
    expect(set.get("openai:a")).toMatchObject({ maxRetries: 1, timeoutMs: 5 });
    expect(set.get("openai:a").queue?.limit).toBe(2);
    expect(set.get("openai:b")).toMatchObject({ maxRetries: 7, timeoutMs: 9, queue: undefined });
    expect(set.get("openai:a")).toBe(set.get("openai:a"));
    expect(runtimes().get("openai:c")).toMatchObject({
      maxRetries: DEFAULT_MAX_RETRIES,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    });
  });

  it("knows which call settings a model ignores", () => {
    const set = runtimes(
      { "openai:chat": {}, "openai:resp": { api: "responses" } },
      { OPENAI_API_KEY: "sk", ANTHROPIC_API_KEY: "sk" },
    );
    expect([...set.language(set.get("openai:chat")).unsupported]).toEqual([]);
    expect([...set.language(set.get("openai:resp")).unsupported]).toEqual(["seed"]);
    expect([...set.language(set.get("anthropic:claude")).unsupported]).toEqual(["seed", "json"]);
    expect([...set.language(set.get("sim:default")).unsupported]).toEqual([]);
  });

  it("refuses embeddings from a provider without embedding models, for good", () => {
    const set = runtimes({}, { ANTHROPIC_API_KEY: "sk" });
    let error: unknown;
    try {
      set.embedding(set.get("anthropic:claude"));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({
      message: 'anthropic:claude: provider "anthropic" has no embedding models',
      retryable: false,
    });
  });
});

describe("one attempt", () => {
  /** Work that ends only when its signal aborts, with an error of its own. */
  const untilAborted = (signal: AbortSignal) =>
    new Promise<never>((_, reject) =>
      signal.addEventListener("abort", () => reject(new Error("the provider call was aborted"))),
    );

  it("turns running out of time into a retryable AttemptTimeoutError", async () => {
    const error = await withTimeout(20, undefined, untilAborted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptTimeoutError);
    expect((error as Error).message).toBe("no answer within 20 ms");
  });

  it("passes the caller's abort on, already aborted or later, as what the call threw", async () => {
    const reason = new Error("caller left");
    let seen: unknown;
    await withTimeout(1000, AbortSignal.abort(reason), async (signal) => {
      seen = signal.reason;
    });
    expect(seen).toBe(reason);
    const controller = new AbortController();
    const pending = withTimeout(1000, controller.signal, untilAborted);
    controller.abort(reason);
    await expect(pending).rejects.toThrow("the provider call was aborted");
  });

  it("returns the answer when it comes in time", async () => {
    await expect(withTimeout(1000, undefined, async () => "done")).resolves.toBe("done");
  });

  /** A language model that records what it was asked and answers with `content`. */
  function recordingModel(content: { type: string; text: string }[]) {
    const asked: LanguageModelV3CallOptions[] = [];
    const model = {
      doGenerate: async (options: LanguageModelV3CallOptions) => {
        asked.push(options);
        return { content, usage: { inputTokens: { total: 12 }, outputTokens: { total: undefined } } };
      },
    } as unknown as LanguageModelV3;
    return { model, asked };
  }

  it("leaves out the settings a model ignores, and keeps only the text of the answer", async () => {
    const { model, asked } = recordingModel([
      { type: "reasoning", text: "thinking… " },
      { type: "text", text: "pos" },
      { type: "text", text: "itive" },
    ]);
    const request = {
      model: "m",
      json: true,
      params: { seed: 7, temperature: 0 },
      messages: [{ role: "user" as const, content: "x" }],
    };
    const signal = new AbortController().signal;
    const result = await generateOnce(model, new Set(), request, signal);
    expect(result).toEqual({ text: "positive", usage: { inputTokens: 12, outputTokens: 0 } });
    expect(asked[0]).toMatchObject({
      seed: 7,
      temperature: 0,
      responseFormat: { type: "json" },
      abortSignal: signal,
    });
    await generateOnce(model, new Set(["seed", "json"] as const), request, signal);
    expect(asked[1]?.seed).toBeUndefined();
    expect(asked[1]?.responseFormat).toBeUndefined();
  });
});
