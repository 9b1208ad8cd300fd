// FifoQueue, sleep and abortReason on their own (the queue in front of real calls: queue.test.ts).
import { describe, expect, it } from "vitest";
import { abortReason, FifoQueue, sleep } from "./queue";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("FifoQueue", () => {
  it("takes a positive integer limit only", () => {
    for (const limit of [0, -1, 1.5, Number.NaN])
      expect(() => new FifoQueue(limit), String(limit)).toThrow(
        new RangeError("queue limit must be a positive integer"),
      );
    expect(new FifoQueue(1).limit).toBe(1);
  });

  it("runs up to the limit at once; the next waits until a slot is released", async () => {
    const queue = new FifoQueue(2);
    const first = await queue.acquire();
    await queue.acquire();
    expect(queue.running).toBe(2);
    let third = false;
    const pending = queue.acquire().then((release) => {
      third = true;
      return release;
    });
    await tick();
    expect(third).toBe(false);
    expect(queue.waiting).toBe(1);
    first();
    (await pending)();
    expect(third).toBe(true);
    expect(queue.running).toBe(1);
    expect(queue.waiting).toBe(0);
  });

  it("refuses at once with the signal's reason when the signal already aborted", async () => {
    const queue = new FifoQueue(1);
    const reason = new Error("stopped");
    await expect(queue.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(queue.running).toBe(0);
  });

  it("counts a waiter that aborted as gone, and gives its turn to the next", async () => {
    const queue = new FifoQueue(1);
    const release = await queue.acquire();
    const controller = new AbortController();
    const aborted = queue.acquire(controller.signal);
    const next = queue.acquire();
    expect(queue.waiting).toBe(2);
    controller.abort(new Error("gone"));
    await expect(aborted).rejects.toThrow("gone");
    expect(queue.waiting).toBe(1);
    release();
    (await next)();
    expect(queue.running).toBe(0);
  });

  it("stays in order over thousands of waiters (the consumed part of its list is dropped)", async () => {
    const queue = new FifoQueue(1);
    const order: number[] = [];
    let release = await queue.acquire();
    const waiters = Array.from({ length: 3000 }, (_, i) =>
      queue.acquire().then((next) => {
        order.push(i);
        return next;
      }),
    );
    expect(queue.waiting).toBe(3000);
    for (const waiter of waiters) {
      release();
      release = await waiter;
      expect(queue.running).toBe(1);
    }
    release();
    expect(order).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(queue.waiting).toBe(0);
    expect(queue.running).toBe(0);
  });
});

describe("sleep and abortReason", () => {
  it("an abort's reason is the signal's Error, else an AbortError", () => {
    const reason = new Error("why");
    expect(abortReason(AbortSignal.abort(reason))).toBe(reason);
    const plain = abortReason(AbortSignal.abort("not an error"));
    expect(plain).toBeInstanceOf(DOMException);
    expect(plain.name).toBe("AbortError");
    expect(plain.message).toBe("The operation was aborted.");
  });

  it("waits the time asked, resolves at once for 0 or less", async () => {
    let done = false;
    const wait = sleep(40).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    await wait;
    expect(done).toBe(true);
    // 0 or less resolves on the next microtask, before any timer already due.
    const order: string[] = [];
    setTimeout(() => order.push("timer"), 0);
    await sleep(0);
    await sleep(-5);
    order.push("slept");
    expect(order).toEqual(["slept"]);
  });

  it("stops waiting when the signal aborts, and refuses an aborted signal at once", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const wait = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error("cancelled")), 10);
    await expect(wait).rejects.toThrow("cancelled");
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(sleep(0, AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });
});
