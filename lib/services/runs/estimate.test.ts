// The cost estimate against real runs: a run spec is estimated, then started and executed on the
// embedded runner with the offline simulator (no response cache), on SQLite and PostgreSQL; the calls it
// made and their tokens never pass the upper bound and land near the expected values. Then prices, the project's
// confirmation threshold, and bad specs (a 400 naming the field, nothing stored).
import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/core/errors";
import { getRun, SYSTEM_ACTOR, upsertModelConfig } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { embeddedRunner } from "@/lib/runner";
import { getCostConfirmation, setCostConfirmation } from "../settings";
import { useIntentProject } from "../testing/intent-project";
import { intentRunSpec } from "../testing/run-fixtures";
import { createOptimizationRun } from "./create";
import { estimateProjectRun } from "./estimate";

describe.each(TEST_PROVIDERS)("estimateProjectRun on %s", (provider) => {
  const fixture = useIntentProject(provider, "admin");

  async function runSpend(spec: ReturnType<typeof intentRunSpec>) {
    const { id } = await createOptimizationRun(fixture.db, fixture.seeded.projectId, spec, {
      runner: "embedded",
      env: {},
    });
    await embeddedRunner().running(id);
    await embeddedRunner().idle();
    const run = await getRun(fixture.db, id);
    expect(run?.status).toBe("succeeded");
    return {
      calls: run?.calls ?? 0,
      inputTokens: run?.inputTokens ?? 0,
      outputTokens: run?.outputTokens ?? 0,
    };
  }

  it.each([
    ["two iterations, K=2", {}],
    [
      "four iterations, patience 1, K=3",
      { stop: { maxIterations: 4, patience: 1 }, optimizer: { candidates: 3 } },
    ],
  ])("%s: a sim run stays under the upper bound and near the expectation", async (_name, overrides) => {
    const spec = intentRunSpec(fixture.seeded, "sim:default", overrides);
    const estimate = await estimateProjectRun(fixture.db, fixture.access, spec);
    const spent = await runSpend(spec);
    const calls = spent.calls;
    expect(estimate.upper.calls).toBeGreaterThanOrEqual(calls);
    expect(estimate.expected.calls / calls).toBeGreaterThan(0.6);
    expect(estimate.expected.calls / calls).toBeLessThan(1.6);
    // Tokens: the upper bound holds for both directions; the expected tokens per call are near.
    expect(estimate.upper.inputTokens).toBeGreaterThanOrEqual(spent.inputTokens);
    expect(estimate.upper.outputTokens).toBeGreaterThanOrEqual(spent.outputTokens);
    const perCall = (s: { calls: number; inputTokens: number; outputTokens: number }) =>
      (s.inputTokens + s.outputTokens) / s.calls;
    expect(perCall(estimate.expected) / perCall(spent)).toBeGreaterThan(0.6);
    expect(perCall(estimate.expected) / perCall(spent)).toBeLessThan(1.6);
    // The simulator costs nothing: no confirmation.
    expect(estimate).toMatchObject({ kind: "optimize", examples: 60, paid: false, needsConfirmation: false });
    expect(estimate.upper.costUsd).toBe(0);
  });

  it("prices a model configuration and asks for confirmation above the project's threshold", async () => {
    await upsertModelConfig(fixture.db, fixture.seeded.projectId, {
      name: "priced-sim",
      modelId: "sim:default",
      priceInputPerMTok: 5,
      priceOutputPerMTok: 15,
    });
    const spec = intentRunSpec(fixture.seeded, "sim:default", {
      models: { task: "priced-sim", optimizer: "sim:default" },
    });
    expect(await getCostConfirmation(fixture.db, fixture.access)).toEqual({
      confirmAboveUsd: 1,
      isDefault: true,
    });
    const estimate = await estimateProjectRun(fixture.db, fixture.access, spec);
    expect(estimate.paid).toBe(true);
    const cost = estimate.upper.costUsd as number;
    expect(cost).toBeGreaterThan(0);
    expect(estimate.needsConfirmation).toBe(cost > 1);

    await setCostConfirmation(fixture.db, fixture.access, { confirmAboveUsd: cost / 2 }, SYSTEM_ACTOR);
    expect(await getCostConfirmation(fixture.db, fixture.access)).toEqual({
      confirmAboveUsd: cost / 2,
      isDefault: false,
    });
    expect(await estimateProjectRun(fixture.db, fixture.access, spec)).toMatchObject({
      confirmAboveUsd: cost / 2,
      needsConfirmation: true,
    });
    await setCostConfirmation(fixture.db, fixture.access, { confirmAboveUsd: cost * 2 }, SYSTEM_ACTOR);
    expect((await estimateProjectRun(fixture.db, fixture.access, spec)).needsConfirmation).toBe(false);
    // Stored on the project, each change audited with what it replaced.
    const entries = await fixture.db.auditLog.findMany({
      where: { projectId: fixture.access.project.id, action: "project.cost_confirmation_set" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [{ confirmAboveUsd: 1 }, { confirmAboveUsd: cost / 2 }],
      [{ confirmAboveUsd: cost / 2 }, { confirmAboveUsd: cost * 2 }],
    ]);
    expect(
      (await fixture.db.project.findUniqueOrThrow({ where: { id: fixture.access.project.id } }))
        .costConfirmAboveUsd,
    ).toBe(cost * 2);
  });

  it("refuses what starting the run would refuse, naming the field, and stores nothing", async () => {
    const before = await fixture.db.optimizationRun.count();
    const error = await estimateProjectRun(
      fixture.db,
      fixture.access,
      intentRunSpec(fixture.seeded, "sim:default", {
        models: { task: "sim:nope", optimizer: "sim:default" },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details).toMatchObject({
      issues: [
        { in: "body", path: "models.task", message: expect.stringContaining("sim:default, sim:other") },
      ],
    });
    expect(await fixture.db.optimizationRun.count()).toBe(before);
  });
});
