// Comparing strategies in the web: one stored run per strategy on the same spec, executed on the
// embedded runner with the offline simulator, on SQLite and PostgreSQL; bad requests queue nothing.
import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/core/errors";
import { getRun, SYSTEM_ACTOR } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { embeddedRunner } from "@/lib/runner";
import { useIntentProject } from "../testing/intent-project";
import { intentRunSpec } from "../testing/run-fixtures";
import { startStrategyComparison } from "./strategy-comparison-runs";

describe.each(TEST_PROVIDERS)("startStrategyComparison on %s", (provider) => {
  const fixture = useIntentProject(provider, "editor");

  it("queues one run per strategy with the same spec and budget, each finishing", async () => {
    const spec = intentRunSpec(fixture.seeded, "sim:default", { budget: { calls: 400 } });
    const started = await startStrategyComparison(
      fixture.db,
      fixture.access,
      { spec, strategies: ["critique-rewrite", "successive-halving"] },
      SYSTEM_ACTOR,
      { runner: "embedded", env: {} },
    );
    expect(started.runs.map((r) => r.strategy)).toEqual(["critique-rewrite", "successive-halving"]);
    expect(started.compareUrl).toBe(
      `/projects/default/runs/compare?ids=${started.runs.map((r) => r.id).join(",")}`,
    );
    for (const { id } of started.runs) await embeddedRunner().running(id);
    await embeddedRunner().idle();
    const runs = await Promise.all(started.runs.map((r) => getRun(fixture.db, r.id)));
    expect(runs.map((r) => r?.status)).toEqual(["succeeded", "succeeded"]);
    const configs = runs.map(
      (r) => r?.config as { optimizer: { strategy: string }; budget: unknown; seed: number },
    );
    expect(configs.map((c) => c.optimizer.strategy)).toEqual(["critique-rewrite", "successive-halving"]);
    expect(configs[0]?.budget).toEqual(configs[1]?.budget);
    expect(configs[0]?.seed).toBe(configs[1]?.seed);
    for (const run of runs) expect(run?.calls ?? 0).toBeLessThanOrEqual(400 + 32);
  });

  it("refuses unknown, repeated or too few strategies and a bad spec, queueing nothing", async () => {
    const before = await fixture.db.optimizationRun.count();
    const spec = intentRunSpec(fixture.seeded, "sim:default");
    const refused = async (body: Parameters<typeof startStrategyComparison>[2]) =>
      startStrategyComparison(fixture.db, fixture.access, body, SYSTEM_ACTOR, {
        runner: "embedded",
        env: {},
      }).catch((e: unknown) => e);
    const unknown = await refused({ spec, strategies: ["critique-rewrite", "evolution"] });
    expect(unknown).toBeInstanceOf(InputError);
    expect((unknown as InputError).message).toMatch(/strategies\.1: unknown strategy "evolution"/);
    expect(((await refused({ spec, strategies: ["opro", "opro"] })) as InputError).message).toMatch(
      /each strategy once/,
    );
    expect(((await refused({ spec, strategies: ["opro"] })) as InputError).message).toMatch(/at least two/);
    const badSpec = await refused({ spec: { ...spec, task: "nope" }, strategies: ["opro", "gepa"] });
    expect((badSpec as InputError).message).toMatch(/task/);
    expect(await fixture.db.optimizationRun.count()).toBe(before);
  });
});
