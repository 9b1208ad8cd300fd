// The fair queue: at most `concurrency` calls in flight, the rest started in arrival order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlm } from "../gateway";
import { type FakeServer, startFakeOpenAIServer } from "../testing/fake-openai-server";
import { FifoQueue } from "./queue";

let server: FakeServer;
let inFlight = 0;
let maxInFlight = 0;
const order: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    // Called when a call arrives (before its latency); respond runs when it is answered.
    latencyMs: (call) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      order.push(call.messages.at(-1)?.content ?? "");
      return 30;
    },
    respond: () => {
      inFlight--;
      return { content: "ok" };
    },
  });
});
afterAll(() => server.close());

describe("the FIFO queue", () => {
  it("caps calls in flight at the model's concurrency and starts them in arrival order", async () => {
    const llm = createLlm({
      env: {},
      models: { "openai-compatible:q": { baseURL: server.baseURL, concurrency: 3 } },
    });
    const calls = Array.from({ length: 15 }, (_, i) =>
      llm.generate({ model: "openai-compatible:q", messages: [{ role: "user", content: `call ${i}` }] }),
    );
    await Promise.all(calls);
    expect(maxInFlight).toBe(3);
    expect(order).toEqual(Array.from({ length: 15 }, (_, i) => `call ${i}`));
  });

  it("grants slots first come, first served, and drops waiters that abort", async () => {
    const queue = new FifoQueue(2);
    const granted: string[] = [];
    const take = (name: string, signal?: AbortSignal) =>
      queue.acquire(signal).then((release) => {
        granted.push(name);
        return release;
      });
    const a = await take("a");
    const b = await take("b");
    const controller = new AbortController();
    const c = take("c");
    const d = take("d", controller.signal);
    const e = take("e");
    expect(queue.waiting).toBe(3);
    controller.abort();
    await expect(d).rejects.toThrow();
    a();
    b();
    (await c)();
    (await e)();
    expect(granted).toEqual(["a", "b", "c", "e"]);
    expect(queue.running).toBe(0);
    a(); // releasing twice is harmless
    expect(queue.running).toBe(0);
  });
});
