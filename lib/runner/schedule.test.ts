// A schedule's two derived forms besides the Inngest function (inngest/functions/schedules.test.ts): its
// interval and cron from the environment, and the embedded runner's timer, driven by fake timers.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { intervalMinutes, type ScheduleDefinition, scheduleCron, startScheduleTimer } from "./schedule";

function countingSchedule(id = "counting") {
  const ticks: Record<string, string | undefined>[] = [];
  const schedule: ScheduleDefinition<{ n: number }> = {
    id,
    name: "Counting",
    stepId: "count",
    interval: { env: "TEST_EVERY_MINUTES", defaultMinutes: 10 },
    async tick(_db, { env }) {
      ticks.push(env);
      return { n: ticks.length };
    },
  };
  return { schedule, ticks };
}

const fakeDb = async () => ({}) as Db;
const EMBEDDED = { STROP_RUNNER: "embedded" };

afterEach(() => {
  vi.useRealTimers();
});

describe("a schedule's interval and cron", () => {
  it("reads whole minutes from 1 to 1440 from its setting, else the default", () => {
    const { schedule } = countingSchedule();
    expect(intervalMinutes(schedule.interval, {})).toBe(10);
    expect(intervalMinutes(schedule.interval, { TEST_EVERY_MINUTES: "3" })).toBe(3);
    for (const bad of ["0", "1441", "2.5", "soon", ""])
      expect(intervalMinutes(schedule.interval, { TEST_EVERY_MINUTES: bad }), bad).toBe(10);
  });

  it("ticks every N minutes below an hour, and on whole hours from an hour on", () => {
    const { schedule } = countingSchedule();
    const cron = (minutes: string) => scheduleCron(schedule, { TEST_EVERY_MINUTES: minutes });
    expect(cron("5")).toBe("*/5 * * * *");
    expect(cron("59")).toBe("*/59 * * * *");
    expect(cron("60")).toBe("0 */1 * * *");
    expect(cron("150")).toBe("0 */3 * * *");
    expect(cron("1380")).toBe("0 */23 * * *");
    expect(cron("1440")).toBe("0 0 * * *");
  });
});

describe("the embedded timer", () => {
  it("ticks every interval with the embedded runner, and stops", async () => {
    vi.useFakeTimers();
    const { schedule, ticks } = countingSchedule("ticking");
    const env = { ...EMBEDDED, TEST_EVERY_MINUTES: "2" };
    const timer = startScheduleTimer(schedule, { env, db: fakeDb });
    expect(timer).not.toBeNull();
    await vi.advanceTimersByTimeAsync(2 * 60_000 - 1);
    expect(ticks).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(ticks).toEqual([env]);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(ticks).toHaveLength(3);
    timer?.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ticks).toHaveLength(3);
  });

  it("is not started with Inngest (its cron function ticks)", () => {
    const { schedule } = countingSchedule("inngest");
    expect(startScheduleTimer(schedule, { env: { STROP_RUNNER: "inngest" }, db: fakeDb })).toBeNull();
  });

  it("one timer per schedule per process: starting again replaces it", async () => {
    vi.useFakeTimers();
    const { schedule, ticks } = countingSchedule("replaced");
    startScheduleTimer(schedule, { env: EMBEDDED, db: fakeDb });
    const second = startScheduleTimer(schedule, { env: EMBEDDED, db: fakeDb });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ticks).toHaveLength(1);
    second?.stop();
  });

  it("reports a failed tick and keeps ticking", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const failing: ScheduleDefinition = {
      id: "failing",
      name: "Failing",
      stepId: "fail",
      interval: { env: "TEST_EVERY_MINUTES", defaultMinutes: 1 },
      async tick() {
        calls += 1;
        throw new Error("database away");
      },
    };
    const errors: string[] = [];
    const timer = startScheduleTimer(failing, {
      env: EMBEDDED,
      db: fakeDb,
      onError: (s, error) => errors.push(`${s.id}: ${error.message}`),
    });
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(calls).toBe(2);
    expect(errors).toEqual(["failing: database away", "failing: database away"]);
    timer?.stop();
  });
});
