// The runner choice, the embedded runner's queue (bounded concurrency, order, cancel) and the step guard.
import { describe, expect, it } from "vitest";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import { EmbeddedRunner, maxConcurrentRuns } from "./embedded";
import { guardSteps, RunCancelledError } from "./guard";
import { activeRunner } from "./index";

describe("activeRunner", () => {
  it("defaults to inngest when Inngest is configured, else embedded; STROP_RUNNER decides", () => {
    expect(activeRunner({})).toBe("embedded");
    expect(activeRunner({ INNGEST_DEV: "1" })).toBe("inngest");
    expect(activeRunner({ INNGEST_DEV: "0" })).toBe("embedded");
    expect(activeRunner({ INNGEST_EVENT_KEY: "key" })).toBe("inngest");
    expect(activeRunner({ INNGEST_EVENT_KEY: "key", STROP_RUNNER: "embedded" })).toBe("embedded");
    expect(activeRunner({ STROP_RUNNER: "inngest" })).toBe("inngest");
    expect(() => activeRunner({ STROP_RUNNER: "celery" })).toThrow(
      'STROP_RUNNER must be "inngest" or "embedded"',
    );
  });

  it("reads STROP_MAX_CONCURRENT_RUNS (default 2)", () => {
    expect(maxConcurrentRuns({})).toBe(2);
    expect(maxConcurrentRuns({ STROP_MAX_CONCURRENT_RUNS: "5" })).toBe(5);
    expect(() => maxConcurrentRuns({ STROP_MAX_CONCURRENT_RUNS: "0" })).toThrow("positive integer");
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("EmbeddedRunner", () => {
  it("runs at most maxConcurrent runs at once; the others wait in order", async () => {
    const runner = new EmbeddedRunner(2);
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const started: string[] = [];
    const execute = async (runId: string) => {
      started.push(runId);
      const gate = deferred();
      gates.set(runId, gate);
      await gate.promise;
    };
    expect(["a", "b", "c", "d"].map((id) => runner.submit(id, execute))).toEqual([
      "started",
      "started",
      "queued",
      "queued",
    ]);
    expect(runner.submit("c", execute)).toBe("already-submitted");
    await Promise.resolve();
    expect(runner.snapshot()).toEqual({ running: ["a", "b"], waiting: ["c", "d"] });
    gates.get("b")?.resolve();
    await runner.running("b");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(runner.snapshot()).toEqual({ running: ["a", "c"], waiting: ["d"] });
    for (const id of ["a", "c"]) gates.get(id)?.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    gates.get("d")?.resolve();
    await runner.idle();
    expect(started).toEqual(["a", "b", "c", "d"]);
  });

  it("cancel drops a waiting run and aborts a running one; a failing executor is logged", async () => {
    const logged: string[] = [];
    const runner = new EmbeddedRunner(1, (message) => logged.push(message));
    const signals = new Map<string, AbortSignal>();
    const execute = (runId: string, signal: AbortSignal) => {
      signals.set(runId, signal);
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    };
    runner.submit("a", execute);
    runner.submit("b", execute);
    expect(runner.cancel("b")).toBe(true);
    expect(runner.snapshot().waiting).toEqual([]);
    await Promise.resolve();
    expect(runner.cancel("a")).toBe(true);
    expect(signals.get("a")?.reason).toBeInstanceOf(RunCancelledError);
    await runner.idle();
    expect(signals.has("b")).toBe(false);
    expect(logged).toEqual(["run a stopped with an error"]);
    expect(runner.cancel("a")).toBe(false);
  });
});

describe("guardSteps", () => {
  it("records the step that failed and passes replayed steps through", async () => {
    const inner = createMemoryStepRunner(new Map([["done", 1]]));
    const steps = guardSteps(inner);
    expect(await steps.run("done", async () => 2)).toBe(1);
    await expect(
      steps.run("boom", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(steps.failedStep).toBe("boom");
  });

  it("stops a cancelled run before the body runs and never stores an aborted body's result", async () => {
    const inner = createMemoryStepRunner();
    let cancelled = false;
    const controller = new AbortController();
    const steps = guardSteps(inner, { signal: controller.signal, isCancelled: async () => cancelled });
    let bodies = 0;
    await steps.run("a", async () => ++bodies);
    await expect(
      steps.run("b", async () => {
        bodies++;
        controller.abort(new RunCancelledError());
        return "partial";
      }),
    ).rejects.toBeInstanceOf(RunCancelledError);
    expect(inner.results.has("b")).toBe(false);
    const fresh = guardSteps(inner, { isCancelled: async () => cancelled });
    cancelled = true;
    await expect(fresh.run("c", async () => ++bodies)).rejects.toBeInstanceOf(RunCancelledError);
    expect(bodies).toBe(2);
    expect(await fresh.run("a", async () => 99)).toBe(1);
  });
});
