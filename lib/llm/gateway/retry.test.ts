// Retries over real HTTP against the fake server; the waits are asserted through an injected sleep and
// clock, never measured.
import { APICallError, JSONParseError } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LlmError } from "../../core/ports";
import { createLlm } from "../gateway";
import { type FakeReply, type FakeServer, startFakeOpenAIServer } from "../testing/fake-openai-server";
import {
  AttemptTimeoutError,
  classifyFailure,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelay,
} from "./retry";

let server: FakeServer;
/** Replies per model name, consumed in order; the last one repeats. */
const script: Record<string, FakeReply[]> = {};
let hangsOnce = 0;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    // The first "hangs-once" call takes 5 s (the client gives up first); later ones answer at once.
    latencyMs: (call) => (call.model === "hangs-once" && hangsOnce++ === 0 ? 5_000 : 0),
    respond(call) {
      const replies = script[call.model];
      if (!replies) return { content: "ok" };
      return replies.length > 1 ? replies.shift() : replies[0];
    },
  });
});
afterAll(() => server.close());

const NOW = Date.parse("2026-11-26T12:00:00Z");
let waits: number[] = [];
beforeEach(() => {
  waits = [];
});

function gateway(extra: { maxRetries?: number; timeoutMs?: number } = {}) {
  return createLlm({
    env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL },
    maxRetries: extra.maxRetries ?? 4,
    timeoutMs: extra.timeoutMs,
    retry: {
      now: () => NOW,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  });
}

const requestsFor = (model: string) =>
  server.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === model).length;
const ask = (llm: ReturnType<typeof gateway>, model: string) =>
  llm.generate({ model: `openai-compatible:${model}`, messages: [{ role: "user", content: "x" }] });
const error429 = (headers: Record<string, string>): FakeReply => ({
  status: 429,
  body: { error: { message: "Rate limit reached for requests" } },
  headers,
});

describe("retry policy over HTTP", () => {
  it("honours Retry-After in seconds", async () => {
    script.secs = [error429({ "retry-after": "3" }), { content: "after three seconds" }];
    const response = await ask(gateway(), "secs");
    expect(response.text).toBe("after three seconds");
    expect(waits).toEqual([3000]);
    expect(requestsFor("secs")).toBe(2);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const date = new Date(NOW + 7000).toUTCString();
    script.date = [error429({ "retry-after": date }), { content: "later" }];
    expect((await ask(gateway(), "date")).text).toBe("later");
    expect(waits).toEqual([7000]);
  });

  it("prefers retry-after-ms", async () => {
    script.ms = [error429({ "retry-after-ms": "1250", "retry-after": "2" }), { content: "ok" }];
    await ask(gateway(), "ms");
    expect(waits).toEqual([1250]);
  });

  it("backs off exponentially with full jitter without Retry-After (500, 503, 408)", async () => {
    script.flaky = [
      { status: 500, body: { error: { message: "boom" } } },
      { status: 503, body: { error: { message: "overloaded" } } },
      { status: 408, body: { error: { message: "timeout" } } },
      { content: "finally" },
    ];
    expect((await ask(gateway(), "flaky")).text).toBe("finally");
    // random() = 0.5 of caps 500, 1000, 2000 ms
    expect(waits).toEqual([250, 500, 1000]);
    expect(requestsFor("flaky")).toBe(4);
  });

  it("fails fast on other 4xx: one request, no wait", async () => {
    script.bad = [{ status: 400, body: { error: { message: "Unsupported parameter: 'top_k'" } } }];
    const error = await ask(gateway(), "bad").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).toContain("Unsupported parameter: 'top_k'");
    expect((error as LlmError).retryable).toBe(false);
    expect(requestsFor("bad")).toBe(1);
    expect(waits).toEqual([]);
    script.conflict = [{ status: 409, body: { error: { message: "conflict" } } }];
    await ask(gateway(), "conflict").catch(() => undefined);
    expect(requestsFor("conflict")).toBe(1);
  });

  it("ends in an LlmError carrying the provider's message once retries run out", async () => {
    script.down = [{ status: 502, body: { error: { message: "upstream exploded" } } }];
    const error = (await ask(gateway({ maxRetries: 2 }), "down").catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toContain("upstream exploded");
    expect(error.message).toContain("gave up after 3 attempts");
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(requestsFor("down")).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it("retries a 200 with malformed JSON and one with truncated JSON like a 5xx, in the same budget", async () => {
    script.spoiled = ["badJson", "truncated", { content: "third time lucky" }];
    const llm = gateway({ maxRetries: 2 });
    expect((await ask(llm, "spoiled")).text).toBe("third time lucky");
    expect(requestsFor("spoiled")).toBe(3);
    expect(waits).toEqual([250, 500]); // the same exponential backoff as a 5xx (random 0.5)
    expect(llm.stats().total).toMatchObject({ calls: 1, requests: 3, retries: 2, failures: 0 });
  });

  it("bad JSON beyond the budget fails with a clean, retryable message that echoes nothing", async () => {
    for (const damage of ["badJson", "truncated"] as const) {
      const model = `always-${damage}`;
      script[model] = [damage];
      const error = (await ask(gateway({ maxRetries: 1 }), model).catch((e: unknown) => e)) as LlmError;
      expect(error).toBeInstanceOf(LlmError);
      expect(error.message).toBe(
        `openai-compatible:${model}: HTTP 200 but the response is not the expected JSON (malformed or truncated) (gave up after 2 attempts)`,
      );
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(200);
      expect(requestsFor(model)).toBe(2);
    }
  });

  it("retries a connection reset", async () => {
    script.reset = ["reset", { content: "recovered" }];
    expect((await ask(gateway(), "reset")).text).toBe("recovered");
    expect(requestsFor("reset")).toBe(2);
  });

  it("gives up on an attempt after timeoutMs and retries it", async () => {
    script["hangs-once"] = [{ content: "fast" }];
    const llm = gateway({ timeoutMs: 150 });
    const started = performance.now();
    const response = await ask(llm, "hangs-once");
    expect(response.text).toBe("fast");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(requestsFor("hangs-once")).toBe(2);
    expect(llm.stats().total.retries).toBe(1);
  });

  it("a timeout that never recovers is a retryable LlmError naming the limit", async () => {
    const slow = await startFakeOpenAIServer({ latencyMs: 5_000 });
    try {
      const llm = createLlm({
        env: {},
        models: { "openai-compatible:m": { baseURL: slow.baseURL, timeoutMs: 50, maxRetries: 1 } },
        retry: { sleep: async () => {} },
      });
      const error = (await llm
        .generate({ model: "openai-compatible:m", messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e)) as LlmError;
      expect(error).toBeInstanceOf(LlmError);
      expect(error.message).toContain("no answer within 50 ms");
      expect(error.message).toContain("gave up after 2 attempts");
      expect(error.retryable).toBe(true);
      expect(slow.requests).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });

  it("stops waiting when the caller aborts", async () => {
    script.abort = [error429({ "retry-after": "30" })];
    const controller = new AbortController();
    const llm = createLlm({ env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL } });
    const pending = llm.generate({
      model: "openai-compatible:abort",
      messages: [{ role: "user", content: "x" }],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const error = (await pending.catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error.message).toMatch(/aborted/);
    expect(requestsFor("abort")).toBe(1);
  });
});

describe("retry helpers", () => {
  it("parses Retry-After forms", () => {
    expect(parseRetryAfter({ "retry-after": "2" }, NOW)).toBe(2000);
    expect(parseRetryAfter({ "retry-after": "0.5" }, NOW)).toBe(500);
    expect(parseRetryAfter({ "retry-after": new Date(NOW + 4000).toUTCString() }, NOW)).toBe(4000);
    expect(parseRetryAfter({ "retry-after": new Date(NOW - 4000).toUTCString() }, NOW)).toBe(0);
    expect(parseRetryAfter({ "retry-after-ms": "15" }, NOW)).toBe(15);
    expect(parseRetryAfter({ "retry-after": "soon" }, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it("caps the backoff and a very long Retry-After", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, random: () => 0.999999 };
    expect(retryDelay(policy, 20, { retryable: true })).toBeLessThanOrEqual(policy.maxDelayMs);
    expect(retryDelay(policy, 0, { retryable: true, retryAfterMs: 3_600_000 })).toBe(policy.maxRetryAfterMs);
    expect(classifyFailure(new Error("bug"), NOW).retryable).toBe(false);
  });

  it("classifies an unreadable 2xx body as retryable, other statuses by their code", () => {
    const apiError = (statusCode: number, message = "Invalid JSON response") =>
      new APICallError({ message, url: "http://x", requestBodyValues: {}, statusCode, responseBody: "{" });
    expect(classifyFailure(apiError(200), NOW).retryable).toBe(true);
    expect(classifyFailure(apiError(201), NOW).retryable).toBe(true);
    expect(classifyFailure(apiError(400, "Bad Request"), NOW).retryable).toBe(false);
    expect(classifyFailure(new JSONParseError({ text: "{", cause: new Error("x") }), NOW).retryable).toBe(
      true,
    );
  });

  it("reads Retry-After only when it is a number of seconds or a date; retry-after-ms only when numeric", () => {
    expect(parseRetryAfter({ "retry-after": " 3 " }, NOW)).toBe(3000);
    expect(parseRetryAfter({ "retry-after": "12" }, NOW)).toBe(12_000);
    expect(parseRetryAfter({ "retry-after": "0.25" }, NOW)).toBe(250);
    for (const value of ["x5", "5x", "", "  "])
      expect(parseRetryAfter({ "retry-after": value }, NOW), value).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "-5" }, NOW)).toBe(0);
    // A blank or non-numeric retry-after-ms leaves the decision to retry-after.
    expect(parseRetryAfter({ "retry-after-ms": " ", "retry-after": "2" }, NOW)).toBe(2000);
    expect(parseRetryAfter({ "retry-after-ms": "soon", "retry-after": "2" }, NOW)).toBe(2000);
    expect(parseRetryAfter({ "retry-after-ms": "soon" }, NOW)).toBeUndefined();
    expect(parseRetryAfter({}, NOW)).toBeUndefined();
  });

  it("retries connection failures by their code, or undici's TypeError, and nothing else", () => {
    const withCode = (code: unknown, cause?: unknown) =>
      Object.assign(new Error("connection trouble", { cause }), { code });
    const retryable = (error: unknown) => classifyFailure(error, NOW).retryable;
    for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET"]) {
      expect(retryable(withCode(code)), code).toBe(true);
      expect(retryable(new Error("wrapped", { cause: { code } })), `cause ${code}`).toBe(true);
    }
    for (const code of ["ENOTFOUND", "XECONNRESET", "ECONNRESETX", 104])
      expect(retryable(withCode(code)), String(code)).toBe(false);
    // The error's own code decides before its cause's.
    expect(retryable(withCode("ERR_INVALID_URL", { code: "ECONNRESET" }))).toBe(false);
    expect(retryable({ code: "ECONNRESET", message: "not an Error" })).toBe(false);
    expect(retryable("ECONNRESET")).toBe(false);
    expect(retryable(new TypeError("fetch failed"))).toBe(true);
    expect(retryable(new TypeError("socket hang up"))).toBe(true);
    expect(retryable(new Error("fetch failed"))).toBe(false);
    expect(retryable(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });

  it("does not retry an informational or redirect status, nor a failure without status the SDK calls final", () => {
    const apiError = (statusCode: number | undefined, isRetryable?: boolean) =>
      new APICallError({ message: "x", url: "http://x", requestBodyValues: {}, statusCode, isRetryable });
    expect(classifyFailure(apiError(100), NOW).retryable).toBe(false);
    expect(classifyFailure(apiError(300), NOW).retryable).toBe(false);
    expect(classifyFailure(apiError(302), NOW).retryable).toBe(false);
    expect(classifyFailure(apiError(undefined, false), NOW).retryable).toBe(false);
    expect(classifyFailure(apiError(undefined, true), NOW).retryable).toBe(true);
  });

  it("names a timed-out attempt", () => {
    const error = new AttemptTimeoutError(1500);
    expect(error).toMatchObject({
      name: "AttemptTimeoutError",
      message: "no answer within 1500 ms",
      timeoutMs: 1500,
    });
    expect(classifyFailure(error, NOW)).toEqual({ retryable: true });
  });
});
