// Streaming through the gateway over real HTTP: the loopback fake OpenAI server's SSE answers reach the
// caller delta by delta, with usage, price, latency and accounting as for generate; the response cache
// answers a repeat (all the text at once); a failure before the first delta is retried, one after it is
// not (the caller would see the text twice); the egress policy holds; the sim streams too.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError } from "../../core/ports";
import { parseEgressAllow } from "../egress";
import { createLlm } from "../gateway";
import { type FakeServer, startFakeOpenAIServer } from "../testing/fake-openai-server";

let server: FakeServer;
let failFirst = 0;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond(call) {
      if (call.model === "flaky" && failFirst > 0) {
        failFirst--;
        return { status: 503, body: { error: { message: "busy" } } };
      }
      return {
        content: `one two three for ${call.messages.at(-1)?.content}`,
        usage: { promptTokens: 100, completionTokens: 40 },
      };
    },
  });
});
afterAll(() => server.close());

const ask = (model: string, content = "Hi") => ({
  model,
  messages: [{ role: "user" as const, content }],
});
const noWait = { sleep: async () => {}, random: () => 0 };

describe("gateway.stream", () => {
  it("hands over the deltas as they arrive and answers with usage, cost and latency", async () => {
    const llm = createLlm({
      env: {},
      models: { "openai-compatible:m": { baseURL: server.baseURL, price: { input: 2, output: 10 } } },
    });
    const deltas: string[] = [];
    const response = await llm.stream(ask("openai-compatible:m"), (delta) => deltas.push(delta));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe("one two three for Hi");
    expect(response).toMatchObject({
      text: "one two three for Hi",
      usage: { inputTokens: 100, outputTokens: 40 },
      cached: false,
    });
    expect(response.costUsd).toBeCloseTo((100 * 2 + 40 * 10) / 1e6, 12);
    expect(response.latencyMs).toBeGreaterThan(0);
    const body = server.requests.at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({ stream: true, model: "m" });
    expect(llm.stats().total).toMatchObject({ calls: 1, inputTokens: 100, outputTokens: 40 });
  });

  it("answers a repeat from the response cache with the whole text at once", async () => {
    const llm = createLlm({
      env: {},
      cache: { store: "memory" },
      models: { "openai-compatible:c": { baseURL: server.baseURL } },
    });
    await llm.stream(ask("openai-compatible:c", "cache me"), () => {});
    const before = server.requests.length;
    const deltas: string[] = [];
    const again = await llm.stream(ask("openai-compatible:c", "cache me"), (d) => deltas.push(d));
    expect(server.requests.length).toBe(before);
    expect(again).toMatchObject({ cached: true, costUsd: 0, text: "one two three for cache me" });
    expect(deltas).toEqual(["one two three for cache me"]);
    expect(llm.stats().total.cacheHits).toBe(1);
  });

  it("retries a failure that came before any text", async () => {
    failFirst = 2;
    const llm = createLlm({
      env: {},
      retry: noWait,
      models: { "openai-compatible:flaky": { baseURL: server.baseURL } },
    });
    const deltas: string[] = [];
    const response = await llm.stream(ask("openai-compatible:flaky"), (d) => deltas.push(d));
    expect(deltas.join("")).toBe(response.text);
    expect(llm.stats().total).toMatchObject({ requests: 3, retries: 2, failures: 0 });
  });

  it("streams the simulator's answer", async () => {
    const llm = createLlm({ env: {} });
    const deltas: string[] = [];
    const response = await llm.stream(
      { model: "sim:default", messages: [{ role: "user", content: "Classify: great movie" }] },
      (d) => deltas.push(d),
    );
    expect(response.text.length).toBeGreaterThan(0);
    expect(deltas.join("")).toBe(response.text);
  });

  it("refuses a loopback endpoint unless the egress policy allows it", async () => {
    const llm = createLlm({
      env: {},
      egress: parseEgressAllow(""),
      models: { "openai-compatible:m": { baseURL: server.baseURL } },
    });
    const error = await llm.stream(ask("openai-compatible:m"), () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).toContain("refused by the egress policy");
  });
});

describe("a hand-written SSE server", () => {
  let broken: Server;
  let url: string;
  let requests = 0;
  /** Resolved by the test once the first delta has reached it. */
  let firstSeen: () => void = () => {};

  beforeAll(async () => {
    broken = createServer(async (req, res) => {
      requests++;
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const model = (JSON.parse(raw) as { model: string }).model;
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (content: string, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
      res.write(chunk("Hello "));
      if (model === "gated") {
        // The rest only once the caller has the first delta: proves nothing waits for the whole body.
        await new Promise<void>((resolve) => {
          firstSeen = resolve;
        });
        res.write(chunk("world", "stop"));
        res.end("data: [DONE]\n\n");
        return;
      }
      // Two deltas, then the connection dies without a finish.
      res.write(chunk("wor"));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => broken.close(() => resolve())));

  it("hands over the first delta before the rest of the answer is sent", async () => {
    const llm = createLlm({ env: {}, models: { "openai-compatible:gated": { baseURL: url } } });
    const deltas: string[] = [];
    const response = await llm.stream(ask("openai-compatible:gated"), (d) => {
      deltas.push(d);
      if (deltas.length === 1) firstSeen();
    });
    expect(deltas).toEqual(["Hello ", "world"]);
    expect(response.text).toBe("Hello world");
  });

  it("a stream that breaks off fails once, without a retry, keeping what was handed over", async () => {
    requests = 0;
    const llm = createLlm({
      env: {},
      retry: noWait,
      models: { "openai-compatible:b": { baseURL: url } },
    });
    const deltas: string[] = [];
    const error = await llm.stream(ask("openai-compatible:b"), (d) => deltas.push(d)).catch((e) => e);
    expect(deltas.join("")).toBe("Hello wor");
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).retryable).toBe(false);
    expect((error as LlmError).message).toMatch(
      /^openai-compatible:b: .*\(the answer broke off after it had started\)$/,
    );
    expect(requests).toBe(1);
    expect(llm.stats().total).toMatchObject({ calls: 1, requests: 1, failures: 1 });
  });
});
