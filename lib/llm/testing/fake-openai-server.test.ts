// The fake server's own contract: OpenAI wire format, SSE streaming, recording, scripting.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeServer, startFakeOpenAIServer } from "./fake-openai-server";

let server: FakeServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    models: ["tiny"],
    respond: (call) => (call.kind === "embeddings" ? undefined : { content: "one two three" }),
  });
});
afterAll(() => server.close());

describe("fake OpenAI server", () => {
  it("answers /v1/chat/completions in OpenAI's format", async () => {
    const res = await fetch(`${server.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-secret" },
      body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hello there" }] }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "tiny",
      choices: [
        { index: 0, message: { role: "assistant", content: "one two three" }, finish_reason: "stop" },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    expect(typeof body.id).toBe("string");
    expect(typeof body.created).toBe("number");
    const recorded = server.requests.at(-1)!;
    expect(recorded).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(recorded.headers.authorization).toBe("[redacted]");
  });

  it("streams server-sent events, readable by the AI SDK", async () => {
    const provider = createOpenAICompatible({ name: "fake", baseURL: server.baseURL, includeUsage: true });
    const result = streamText({ model: provider.chatModel("tiny"), prompt: "hi" });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("one two three");
    expect((await result.usage).outputTokens).toBe(4);
  });

  it("lists models", async () => {
    const body = await (await fetch(`${server.baseURL}/models`)).json();
    expect(body).toMatchObject({ object: "list", data: [{ id: "tiny", object: "model" }] });
  });

  it("answers 404 for unknown routes and 400 for bodies that are not JSON", async () => {
    expect((await fetch(`${server.baseURL}/completions`, { method: "POST", body: "{}" })).status).toBe(404);
    const bad = await fetch(`${server.baseURL}/chat/completions`, { method: "POST", body: "not json" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/JSON/);
  });

  it("can be started on a fixed port and closed", async () => {
    const probe = await startFakeOpenAIServer();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const fixed = await startFakeOpenAIServer({ port });
    expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
    await fixed.close();
  });
});

describe("provider trouble on demand", () => {
  const chat = (url: string, model = "t") =>
    fetch(`${url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
    });

  it("answers 429 with Retry-After above its requests-per-second limit, and counts", async () => {
    const limited = await startFakeOpenAIServer({ requestsPerSecond: 5, respond: () => ({ content: "ok" }) });
    try {
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await chat(limited.baseURL)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const refused = await chat(limited.baseURL);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(Number(refused.headers.get("retry-after-ms"))).toBeGreaterThan(0);
      expect(Number(refused.headers.get("retry-after-ms"))).toBeLessThanOrEqual(200);
      const stats = await (await fetch(`${limited.url}/_fake/stats`)).json();
      expect(stats.calls).toBe(8);
      expect(stats.outcomes).toEqual({ "200": 5, "429": 3 });
      expect(stats.arrivals[0]).toEqual([expect.any(Number), 200, "t"]);
    } finally {
      await limited.close();
    }
  });

  it("injects 500s, connection resets and silence at the configured rates", async () => {
    const faulty = await startFakeOpenAIServer({
      faults: { error500: 1 },
      respond: () => ({ content: "ok" }),
    });
    const resets = await startFakeOpenAIServer({ faults: { reset: 1 } });
    const silent = await startFakeOpenAIServer({ faults: { timeout: 1 } });
    try {
      expect((await chat(faulty.baseURL)).status).toBe(500);
      await expect(chat(resets.baseURL)).rejects.toThrow(/fetch failed/);
      await expect(
        fetch(`${silent.baseURL}/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model: "t", messages: [] }),
          signal: AbortSignal.timeout(100),
        }),
      ).rejects.toThrow();
      expect(silent.stats().outcomes).toEqual({ timeout: 1 });
    } finally {
      await Promise.all([faulty.close(), resets.close(), silent.close()]);
    }
  });

  it("answers 200 with malformed or truncated JSON, scripted or at seeded rates", async () => {
    const spoiled = await startFakeOpenAIServer({
      respond: (call) => (call.model === "bad" ? "badJson" : call.model === "cut" ? "truncated" : undefined),
    });
    const mixed = (seed: number) =>
      startFakeOpenAIServer({
        seed,
        faults: { badJson: 0.25, truncated: 0.25 },
        respond: () => ({ content: "ok" }),
      });
    const [one, same] = await Promise.all([mixed(3), mixed(3)]);
    try {
      const bad = await chat(spoiled.baseURL, "bad");
      expect(bad.status).toBe(200);
      const badText = await bad.text();
      expect(() => JSON.parse(badText)).toThrow();
      expect(badText).toMatch(/^\{"id":"chatcmpl-fake-0",.*,\}$/);
      const cut = await chat(spoiled.baseURL, "cut");
      expect(cut.status).toBe(200);
      const cutText = await cut.text();
      expect(() => JSON.parse(cutText)).toThrow();
      expect(cutText.startsWith('{"id":"chatcmpl-fake-1"')).toBe(true);
      expect(spoiled.stats().outcomes).toEqual({ badJson: 1, truncated: 1 });

      const outcomes = async (server: typeof one) => {
        const seen: string[] = [];
        for (let i = 0; i < 40; i++) {
          const text = await (await chat(server.baseURL)).text();
          seen.push(text.endsWith(",}") ? "badJson" : text.endsWith("}") ? "ok" : "truncated");
        }
        return seen;
      };
      const first = await outcomes(one);
      expect(first).toEqual(await outcomes(same)); // the same seed, the same sequence
      expect(one.stats().outcomes).toEqual({
        "200": first.filter((o) => o === "ok").length,
        badJson: first.filter((o) => o === "badJson").length,
        truncated: first.filter((o) => o === "truncated").length,
      });
      expect(new Set(first)).toEqual(new Set(["ok", "badJson", "truncated"]));
    } finally {
      await Promise.all([spoiled.close(), one.close(), same.close()]);
    }
  });

  it("adds seeded jitter to the latency", async () => {
    const jittery = await startFakeOpenAIServer({
      latencyMs: 40,
      jitterMs: 30,
      respond: () => ({ content: "ok" }),
    });
    try {
      const took: number[] = [];
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        await chat(jittery.baseURL);
        took.push(performance.now() - started);
      }
      expect(Math.min(...took)).toBeGreaterThanOrEqual(9);
      expect(Math.max(...took) - Math.min(...took)).toBeGreaterThan(5);
    } finally {
      await jittery.close();
    }
  });
});
