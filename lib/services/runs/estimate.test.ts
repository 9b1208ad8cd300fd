// The cost estimate against real runs: a run spec is estimated, then started and executed on the
// embedded runner with the offline simulator (no response cache), on SQLite and PostgreSQL; the calls it
// made and their tokens never pass the upper bound and land near the expected values. Then prices, the project's
// confirmation threshold, and bad specs (a 400 naming the field, nothing stored).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { type Db, getProjectBySlug, getRun, openDb, SYSTEM_ACTOR, upsertModelConfig } from "@/lib/db";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@/lib/db/test-databases";
import { embeddedRunner } from "@/lib/runner";
import { getCostConfirmation, setCostConfirmation } from "../settings";
import { intentRunSpec, type SeededTask, seedIntentTask } from "../testing/run-fixtures";
import { createOptimizationRun } from "./create";
import { estimateProjectRun } from "./estimate";

describe.each(TEST_PROVIDERS)("estimateProjectRun on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let seeded: SeededTask;
  let access: ProjectAccess;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    db = await openDb(database.url);
    seeded = await seedIntentTask(db, { rows: 60 });
    const project = await getProjectBySlug(db, "default");
    access = {
      principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
      project: project!,
      role: "admin",
    };
  });

  afterAll(async () => {
    await embeddedRunner().idle();
    await db?.$disconnect();
    await database?.drop();
  });

  async function runSpend(spec: ReturnType<typeof intentRunSpec>) {
    const { id } = await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded", env: {} });
    await embeddedRunner().running(id);
    await embeddedRunner().idle();
    const run = await getRun(db, id);
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
    const spec = intentRunSpec(seeded, "sim:default", overrides);
    const estimate = await estimateProjectRun(db, access, spec);
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
    await upsertModelConfig(db, seeded.projectId, {
      name: "priced-sim",
      modelId: "sim:default",
      priceInputPerMTok: 5,
      priceOutputPerMTok: 15,
    });
    const spec = intentRunSpec(seeded, "sim:default", {
      models: { task: "priced-sim", optimizer: "sim:default" },
    });
    expect(await getCostConfirmation(db, access)).toEqual({ confirmAboveUsd: 1, isDefault: true });
    const estimate = await estimateProjectRun(db, access, spec);
    expect(estimate.paid).toBe(true);
    const cost = estimate.upper.costUsd as number;
    expect(cost).toBeGreaterThan(0);
    expect(estimate.needsConfirmation).toBe(cost > 1);

    await setCostConfirmation(db, access, { confirmAboveUsd: cost / 2 }, SYSTEM_ACTOR);
    expect(await getCostConfirmation(db, access)).toEqual({ confirmAboveUsd: cost / 2, isDefault: false });
    expect(await estimateProjectRun(db, access, spec)).toMatchObject({
      confirmAboveUsd: cost / 2,
      needsConfirmation: true,
    });
    await setCostConfirmation(db, access, { confirmAboveUsd: cost * 2 }, SYSTEM_ACTOR);
    expect((await estimateProjectRun(db, access, spec)).needsConfirmation).toBe(false);
    // Stored on the project, each change audited with what it replaced.
    const entries = await db.auditLog.findMany({
      where: { projectId: access.project.id, action: "project.cost_confirmation_set" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [{ confirmAboveUsd: 1 }, { confirmAboveUsd: cost / 2 }],
      [{ confirmAboveUsd: cost / 2 }, { confirmAboveUsd: cost * 2 }],
    ]);
    expect(
      (await db.project.findUniqueOrThrow({ where: { id: access.project.id } })).costConfirmAboveUsd,
    ).toBe(cost * 2);
  });

  it("refuses what starting the run would refuse, naming the field, and stores nothing", async () => {
    const before = await db.optimizationRun.count();
    const error = await estimateProjectRun(
      db,
      access,
      intentRunSpec(seeded, "sim:default", { models: { task: "sim:nope", optimizer: "sim:default" } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details).toMatchObject({
      issues: [
        { in: "body", path: "models.task", message: expect.stringContaining("sim:default, sim:other") },
      ],
    });
    expect(await db.optimizationRun.count()).toBe(before);
  });
});
