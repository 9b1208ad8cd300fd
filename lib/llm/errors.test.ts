// Failures over real HTTP map to LlmError with the right retryability; credentials never leak.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError } from "../core/ports";
import { redact, secretsOf } from "./errors";
import { createLlm } from "./gateway";
import { type FakeReply, type FakeServer, startFakeOpenAIServer } from "./testing/fake-openai-server";

let server: FakeServer;
/** Replies per model name, consumed in order; the last one repeats. */
const script: Record<string, FakeReply[]> = {};

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond(call) {
      const replies = script[call.model];
      if (!replies) return { content: "ok" };
      return replies.length > 1 ? replies.shift() : replies[0];
    },
  });
});

afterAll(() => server.close());

function llm(maxRetries: number, env: Record<string, string> = {}) {
  return createLlm({ env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL, ...env }, maxRetries });
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

const user = [{ role: "user" as const, content: "x" }];
const countCalls = (model: string) =>
  server.requests.filter((r) => (r.body as { model?: string })?.model === model).length;

describe("error mapping", () => {
  it("400 is not retryable and keeps the server's message", async () => {
    script.bad = [
      {
        status: 400,
        body: { error: { message: "Unsupported parameter: 'top_k'", type: "invalid_request_error" } },
      },
    ];
    const error = await failure(llm(2).generate({ model: "openai-compatible:bad", messages: user }));
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.message).toContain("Unsupported parameter: 'top_k'");
    expect(error.message).toContain("openai-compatible:bad");
    expect(countCalls("bad")).toBe(1);
  });

  it("a plain-text error body is kept in the message", async () => {
    script.proxy = [{ status: 400, body: "model 'proxy' not found, try pulling it first" }];
    const error = await failure(llm(0).generate({ model: "openai-compatible:proxy", messages: user }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("model 'proxy' not found");
  });

  it("500 is retried by the gateway, then retryable", async () => {
    script.down = [
      { status: 500, body: { error: { message: "upstream exploded" } }, headers: { "retry-after-ms": "5" } },
    ];
    const error = await failure(llm(1).generate({ model: "openai-compatible:down", messages: user }));
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    expect(error.message).toContain("upstream exploded");
    expect(error.message).toContain("after 2 attempts");
    expect(countCalls("down")).toBe(2);
  });

  it("429 honours retry-after and recovers when the next attempt succeeds", async () => {
    script.busy = [
      { status: 429, body: { error: { message: "Rate limit reached" } }, headers: { "retry-after": "0" } },
      { content: "finally" },
    ];
    const response = await llm(1).generate({ model: "openai-compatible:busy", messages: user });
    expect(response.text).toBe("finally");
    expect(countCalls("busy")).toBe(2);
  });

  it("429 without retries left is retryable with status 429", async () => {
    script.limited = [
      { status: 429, body: { error: { message: "Rate limit reached" } }, headers: { "retry-after": "0" } },
    ];
    const error = await failure(llm(0).generate({ model: "openai-compatible:limited", messages: user }));
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.message).toContain("Rate limit reached");
  });

  it("a connection reset is retryable", async () => {
    script.reset = ["reset"];
    const error = await failure(llm(0).generate({ model: "openai-compatible:reset", messages: user }));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/connect/i);
  });

  it("a connection reset is retried by the gateway", async () => {
    script.flaky = ["reset", { content: "recovered" }];
    const response = await llm(1).generate({ model: "openai-compatible:flaky", messages: user });
    expect(response.text).toBe("recovered");
  });

  it("errors on embeddings map the same way", async () => {
    script.embfail = [{ status: 503, body: { error: { message: "overloaded" } } }];
    const error = await failure(llm(0).embed("openai-compatible:embfail", ["a"]));
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(503);
  });

  it("never carries the API key, even when the server echoes it", async () => {
    const key = "sk-live-very-secret-0123456789";
    script.echo = [{ status: 401, body: { error: { message: `Incorrect API key provided: ${key}` } } }];
    const error = await failure(
      llm(0, { OPENAI_COMPATIBLE_API_KEY: key }).generate({
        model: "openai-compatible:echo",
        messages: user,
      }),
    );
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(key);
    expect(error.message).toContain("Incorrect API key provided: [redacted]");
    expect(JSON.stringify(server.requests)).not.toContain(key);
  });

  it("a server that is not listening is a retryable connection error", async () => {
    const closed = await startFakeOpenAIServer();
    await closed.close();
    const gateway = createLlm({
      env: {},
      maxRetries: 0,
      models: { "openai-compatible:m": { baseURL: closed.baseURL } },
    });
    const error = await failure(gateway.generate({ model: "openai-compatible:m", messages: user }));
    expect(error.retryable).toBe(true);
  });
});

describe("redaction helpers", () => {
  it("collects secret-looking variables and scrubs them and bearer tokens", () => {
    const secrets = secretsOf({ OPENAI_API_KEY: "sk-abcdef123", HOME: "/root", CUSTOM: "custom-value-1" }, [
      "CUSTOM",
    ]);
    expect(secrets).toEqual(["custom-value-1", "sk-abcdef123"]);
    expect(redact("key sk-abcdef123 and Bearer xyz.123 and custom-value-1", secrets)).toBe(
      "key [redacted] and Bearer [redacted] and [redacted]",
    );
  });
});
