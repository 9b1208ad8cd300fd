// Failures over real HTTP map to LlmError with the right retryability: the status and the provider's
// parsed message, never a raw body; one message for every connection failure; credentials never leak.
import { type AddressInfo, createServer, type Socket } from "node:net";
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

  it("a body that is not a JSON error (a proxy's HTML, plain text) is never echoed: status and reason only", async () => {
    const page = "<html><body><h1>Internal admin</h1><p>db password: hunter2, users: 1234</p></body></html>";
    script.html = [{ status: 502, body: page, headers: { "content-type": "text/html" } }];
    const html = await failure(llm(0).generate({ model: "openai-compatible:html", messages: user }));
    expect(html.message).toBe("openai-compatible:html: HTTP 502 Bad Gateway");
    expect(html.retryable).toBe(true);
    expect(html.status).toBe(502);
    script.text = [{ status: 400, body: "model 'text' not found, try pulling it first" }];
    const text = await failure(llm(0).generate({ model: "openai-compatible:text", messages: user }));
    expect(text.message).toBe("openai-compatible:text: HTTP 400 Bad Request");
    expect(text.retryable).toBe(false);
    // A JSON body without an error message is not echoed either.
    script.json = [{ status: 404, body: { users: [{ name: "admin", token: "internal" }] } }];
    const json = await failure(llm(0).generate({ model: "openai-compatible:json", messages: user }));
    expect(json.message).toBe("openai-compatible:json: HTTP 404 Not Found");
  });

  it("a JSON error's message is parsed from the usual shapes and cut to 200 characters", async () => {
    script.ollama = [{ status: 404, body: { error: 'model "ollama" not found' } }];
    const ollama = await failure(llm(0).generate({ model: "openai-compatible:ollama", messages: user }));
    expect(ollama.message).toBe('openai-compatible:ollama: HTTP 404: model "ollama" not found');
    script.vllm = [{ status: 400, body: { object: "error", message: "max_tokens is too large" } }];
    const vllm = await failure(llm(0).generate({ model: "openai-compatible:vllm", messages: user }));
    expect(vllm.message).toBe("openai-compatible:vllm: HTTP 400: max_tokens is too large");
    script.long = [{ status: 400, body: { error: { message: `${"x".repeat(150)} ${"y".repeat(900)}` } } }];
    const long = await failure(llm(0).generate({ model: "openai-compatible:long", messages: user }));
    expect(long.message).toBe(`openai-compatible:long: HTTP 400: ${"x".repeat(150)} ${"y".repeat(49)}…`);
  });

  it("a key near the cut is redacted before cutting (no half key survives)", async () => {
    const key = "sk-live-cut-0123456789abcdefghijklmnopqrstuvwxyz";
    script.cut = [{ status: 401, body: { error: { message: `${"a".repeat(180)} key ${key} rejected` } } }];
    const error = await failure(
      llm(0, { OPENAI_COMPATIBLE_API_KEY: key }).generate({ model: "openai-compatible:cut", messages: user }),
    );
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain("sk-live-cut");
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

  it("refused, reset and hung-up connections give one retryable message; the detail goes to the log only", async () => {
    const closed = await startFakeOpenAIServer();
    await closed.close();
    const resets = await startFakeOpenAIServer({ respond: () => "reset" });
    const accepted = new Set<Socket>();
    // Accepts, then closes its side without a byte.
    const hangUp = createServer((socket) => {
      accepted.add(socket);
      socket.end();
    });
    await new Promise<void>((resolve) => hangUp.listen(0, "127.0.0.1", resolve));
    const targets = {
      refused: closed.baseURL,
      reset: resets.baseURL,
      "hung up": `http://127.0.0.1:${(hangUp.address() as AddressInfo).port}/v1`,
    };
    try {
      for (const [what, baseURL] of Object.entries(targets)) {
        const warnings: string[] = [];
        const gateway = createLlm({
          env: {},
          maxRetries: 0,
          models: { "openai-compatible:m": { baseURL } },
          onWarning: (message) => warnings.push(message),
        });
        const error = await failure(gateway.generate({ model: "openai-compatible:m", messages: user }));
        expect(error.message, what).toBe(
          "openai-compatible:m: cannot reach the provider (connection failed)",
        );
        expect(error.retryable, what).toBe(true);
        expect(error.status, what).toBeUndefined();
        expect(warnings, what).toHaveLength(1);
        expect(warnings[0], what).toMatch(/^strop gateway: openai-compatible:m: Cannot connect to API: /);
      }
    } finally {
      await resets.close();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => hangUp.close(resolve));
    }
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
