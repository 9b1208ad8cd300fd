// A new kind of durable job is one file plus one registration: the test-only "sleepy counter"
// (./testing/sleepy-counter.ts) is registered next to the app's kinds and runs on both runners — the
// embedded runner (under a lease, cancellable, resumed at start) and its derived Inngest function run by
// @inngest/test's engine — and streams its live events through the generic stream.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobFunction } from "@/inngest/functions/job-function";
import { type Db, getJobLease, openDb } from "@/lib/db";
import { EmbeddedRunner } from "@/lib/runner/embedded";
import { cancelJob, dispatchJob, takeOverUnfinishedJobs } from "@/lib/runner/engine";
import { pollJobEvents } from "@/lib/runner/job-events";
import { jobKinds } from "./registry";
import {
  createSleepyCounterTable,
  NAP_MS,
  readCounter,
  sleepyCounterJob,
  storeCounter,
} from "./testing/sleepy-counter";

// The one registration: the kind joins the list everything is derived from.
const kinds = [...jobKinds, sleepyCounterJob];

let db: Db;
let runner: EmbeddedRunner;
const deps = () => ({ embedded: () => runner, settings: { ttlMs: 2000, heartbeatMs: 500 } });
const client = new Inngest({ id: "strop", isDev: true });
let n = 0;
const nextId = () => `counter-${++n}`;

beforeAll(async () => {
  db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-kind-")), "strop.db")}`);
  await createSleepyCounterTable(db);
});

afterAll(async () => {
  await db.$disconnect();
});

describe("a job kind added in one file", () => {
  it("runs on the embedded runner under a lease, which it gives back", async () => {
    runner = new EmbeddedRunner(2);
    const id = nextId();
    await storeCounter(db, { id, target: 5 });
    await dispatchJob(
      sleepyCounterJob,
      db,
      { id, projectId: "project-1", provider: "none" },
      "embedded",
      deps(),
    );
    await runner.idle();
    expect(await readCounter(db, id)).toMatchObject({ status: "succeeded", count: 5 });
    expect(await getJobLease(db, { kind: "sleepy-counter", jobId: id })).toBeNull();
  });

  it("runs as its derived Inngest function: one memoized step per tick, a small result", async () => {
    const id = nextId();
    await storeCounter(db, { id, target: 4 });
    const fn = createJobFunction(client, sleepyCounterJob, { db: async () => db });
    const { result, ctx } = await new InngestTestEngine({
      function: fn,
      events: [
        {
          name: "strop/test.sleepy-counter.requested",
          data: { counterId: id, projectId: "p", provider: "none" },
        },
      ],
    }).execute();
    expect(result).toEqual({ counterId: id, status: "succeeded", count: 4 });
    expect(ctx.step.run.mock.calls.map((call) => call[0])).toEqual(["tick-0", "tick-1", "tick-2", "tick-3"]);
    // Its configuration comes from the kind: trigger, cancel event, flow control.
    const [config] = (
      fn as unknown as { getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }
    ).getConfig({ baseUrl: new URL("http://localhost:3000/api/inngest"), appPrefix: "strop" });
    expect(config).toMatchObject({
      id: "strop-sleepy-counter",
      triggers: [{ event: "strop/test.sleepy-counter.requested" }],
      concurrency: [{ key: "event.data.projectId", limit: 1 }],
      cancel: [
        { event: "strop/test.sleepy-counter.cancel", if: "event.data.counterId == async.data.counterId" },
      ],
    });
  });

  it("is resumed at start from where it stopped, and cancelled from the engine", async () => {
    runner = new EmbeddedRunner(2);
    const stopped = nextId();
    // Left running at 3 of 6 by a process that died (no lease left behind).
    await storeCounter(db, { id: stopped, target: 6, count: 3, status: "running" });
    const resumed = await takeOverUnfinishedJobs(kinds, db, deps());
    expect(resumed["sleepy-counter"]?.resumed).toEqual([stopped]);
    await runner.idle();
    expect(await readCounter(db, stopped)).toMatchObject({ status: "succeeded", count: 6 });

    const cancelled = nextId();
    await storeCounter(db, { id: cancelled, target: 1000 });
    await dispatchJob(
      sleepyCounterJob,
      db,
      { id: cancelled, projectId: "p", provider: "none" },
      "embedded",
      deps(),
    );
    await new Promise((resolve) => setTimeout(resolve, 10 * NAP_MS));
    await sleepyCounterJob.store.markCancelled(db, cancelled);
    await cancelJob(sleepyCounterJob, cancelled, "embedded", runner);
    await runner.idle();
    const row = await readCounter(db, cancelled);
    expect(row?.status).toBe("cancelled");
    expect(row?.count).toBeGreaterThan(0);
    expect(row?.count).toBeLessThan(1000);
  });

  it("streams its live events through the generic stream", async () => {
    runner = new EmbeddedRunner(1);
    const id = nextId();
    await storeCounter(db, { id, target: 3 });
    await dispatchJob(sleepyCounterJob, db, { id, projectId: "p", provider: "none" }, "embedded", deps());
    const events = [];
    for await (const event of pollJobEvents(sleepyCounterJob.stream, db, id, new AbortController().signal, {
      pollMs: 5,
    }))
      events.push(event);
    expect(events.at(-1)).toEqual({
      event: "end",
      id: "end",
      data: { status: "succeeded", count: 3, error: null },
    });
    const counted = events
      .filter((e) => e.event === "progress")
      .map((e) => (e.data as { count: number }).count);
    expect(counted).toEqual([...counted].sort((a, b) => a - b));
    expect(counted.at(-1)).toBe(3);
  });
});
