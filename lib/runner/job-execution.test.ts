// The shared lifecycle's settling of a cancel: a job stopped by a cancel that was resumed meanwhile (by
// another instance, between the cancel and this execution stopping) is left to the resume, not
// cancelled again; a cancel that still stands is the stored outcome.
import { describe, expect, it } from "vitest";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import type { Db } from "@/lib/db";
import { executeJob } from "./job-execution";
import type { JobOutcome, JobStatus, JobStore } from "./job-kind";

function world(initial: JobStatus) {
  const state = { status: initial, cancelMarks: 0 };
  const store: JobStore = {
    status: async () => state.status,
    claim: async () => {
      state.status = "running";
      return true;
    },
    markCancelled: async () => {
      state.cancelMarks++;
      state.status = "cancelled";
      return true;
    },
    markFailed: async () => {
      state.status = "failed";
    },
    listUnfinished: async () => [],
    reopen: async () => ({ outcome: "missing" }),
    target: async () => null,
  };
  return { state, store };
}

function execute(store: JobStore, state: { status: JobStatus }, onAbort: () => void) {
  return executeJob<null, JobOutcome>({
    noun: "job",
    store,
    db: {} as Db,
    id: "j1",
    steps: createMemoryStepRunner(),
    cancelPollMs: 5,
    prepare: async () => null,
    // One step that waits: the guard's watcher sees the cancel in the store and aborts it.
    run: (_prepared, steps, signal) =>
      steps.run("wait", async () => {
        // Someone cancels it (stored first, as every cancel is).
        state.status = "cancelled";
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        onAbort();
        throw signal.reason;
      }),
    storedOutcome: async () => ({
      status: state.status === "cancelled" ? "cancelled" : "interrupted",
      error: null,
      failedStep: null,
    }),
  });
}

describe("a cancelled execution settles", () => {
  it("as interrupted, leaving the job queued, when the cancel was resumed before it stopped", async () => {
    const { state, store } = world("queued");
    const outcome = await execute(store, state, () => {
      state.status = "queued"; // resumed on another instance meanwhile
    });
    expect(outcome.status).toBe("interrupted");
    expect(state).toEqual({ status: "queued", cancelMarks: 0 });
  });

  it("as cancelled when the cancel stands", async () => {
    const { state, store } = world("queued");
    const outcome = await execute(store, state, () => {});
    expect(outcome.status).toBe("cancelled");
    expect(state.status).toBe("cancelled");
  });
});
