// Steps and the database: a body that hit a transient database error runs again (the guard), a result
// whose checkpoint could not be stored at once is stored again without running its body a second time
// (the database step runner), and checkpoints under Inngest's steps let a new function run skip what an
// earlier one finished (a resumed run).
import { beforeAll, describe, expect, it } from "vitest";
import type { StepRunner } from "@/lib/core/ports";
import { countCheckpoints } from "@/lib/db";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { createDbStepRunner, withDbCheckpoints } from "./db-step-runner";
import { guardSteps } from "./guard";
import { queueIntentRun } from "./testing/job-fixtures";

const quick = { baseDelayMs: 1, onRetry: () => {} };
const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture (hooks of the whole file), not a React hook
const fixture = useTestDatabase("sqlite", { scope: "all" });
let runId: string;

beforeAll(async () => {
  // A stored run (its steps are the test's own): the checkpoints hang off it.
  runId = await queueIntentRun(fixture.db, { rows: 10, model: "sim:default" });
});

const direct: StepRunner = { run: (_id, fn) => fn(), sleep: async () => {} };

describe("guardSteps", () => {
  it("runs a body again after a transient database error, not after any other error", async () => {
    const guarded = guardSteps(direct, { dbRetry: quick });
    let calls = 0;
    const value = await guarded.run("s", async () => {
      if (++calls < 3) throw busy();
      return "ok";
    });
    expect([value, calls]).toEqual(["ok", 3]);
    calls = 0;
    const failure = await guarded
      .run("t", async () => {
        calls++;
        throw new Error("model is down");
      })
      .catch((e: unknown) => e);
    expect([(failure as Error).message, calls, guarded.failedStep]).toEqual(["model is down", 1, "t"]);
  });
});

describe("createDbStepRunner", () => {
  it("stores a result again when the first store failed, without running the body twice", async () => {
    let failures = 1;
    const flaky = new Proxy(fixture.db, {
      get(target, key, receiver) {
        if (key !== "stepCheckpoint") return Reflect.get(target, key, receiver);
        const delegate = target.stepCheckpoint;
        return new Proxy(delegate, {
          get(d, method, r) {
            if (method === "upsert" && failures-- > 0) return async () => Promise.reject(busy());
            return Reflect.get(d, method, r);
          },
        });
      },
    });
    const steps = createDbStepRunner(flaky, runId, quick);
    let bodies = 0;
    expect(await steps.run("paid-once", async () => ++bodies)).toBe(1);
    expect(bodies).toBe(1);
    expect(await createDbStepRunner(fixture.db, runId).run("paid-once", async () => ++bodies)).toBe(1);
    expect(bodies).toBe(1);
  });
});

describe("withDbCheckpoints", () => {
  /** Inngest's step tools within one function run: memoized per run, nothing shared between runs. */
  function functionRun(): StepRunner {
    const memo = new Map<string, unknown>();
    return {
      async run<T>(id: string, fn: () => Promise<T>) {
        if (!memo.has(id)) memo.set(id, await fn());
        return memo.get(id) as T;
      },
      sleep: async () => {},
    };
  }

  it("a new function run of a resumed run skips the steps an earlier one finished", async () => {
    const bodies: string[] = [];
    const step = (id: string) => async () => {
      bodies.push(id);
      return `${id}:done`;
    };
    const first = withDbCheckpoints(functionRun(), fixture.db, runId);
    await first.run("a", step("a"));
    await first.run("b", step("b"));
    const before = await countCheckpoints(fixture.db, runId);
    const second = withDbCheckpoints(functionRun(), fixture.db, runId);
    expect(await second.run("a", step("a"))).toBe("a:done");
    expect(await second.run("b", step("b"))).toBe("b:done");
    expect(await second.run("c", step("c"))).toBe("c:done");
    expect(bodies).toEqual(["a", "b", "c"]);
    expect(await countCheckpoints(fixture.db, runId)).toBe(before + 1);
  });
});
