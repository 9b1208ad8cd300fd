// Comparing strategies in the web: one stored run per strategy on the same spec, executed on the
// embedded runner with the offline simulator, on SQLite and PostgreSQL; bad requests queue nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { type Db, getProjectBySlug, getRun, openDb, SYSTEM_ACTOR } from "@/lib/db";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@/lib/db/test-databases";
import { embeddedRunner } from "@/lib/runner";
import { intentRunSpec, type SeededTask, seedIntentTask } from "../testing/run-fixtures";
import { startStrategyComparison } from "./strategy-comparison-runs";

describe.each(TEST_PROVIDERS)("startStrategyComparison on %s", (provider) => {
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
      role: "editor",
    };
  });

  afterAll(async () => {
    await embeddedRunner().idle();
    await db?.$disconnect();
    await database?.drop();
  });

  it("queues one run per strategy with the same spec and budget, each finishing", async () => {
    const spec = intentRunSpec(seeded, "sim:default", { budget: { calls: 400 } });
    const started = await startStrategyComparison(
      db,
      access,
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
    const runs = await Promise.all(started.runs.map((r) => getRun(db, r.id)));
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
    const before = await db.optimizationRun.count();
    const spec = intentRunSpec(seeded, "sim:default");
    const refused = async (body: Parameters<typeof startStrategyComparison>[2]) =>
      startStrategyComparison(db, access, body, SYSTEM_ACTOR, { runner: "embedded", env: {} }).catch(
        (e: unknown) => e,
      );
    const unknown = await refused({ spec, strategies: ["critique-rewrite", "evolution"] });
    expect(unknown).toBeInstanceOf(InputError);
    expect((unknown as InputError).message).toMatch(/strategies\.1: unknown strategy "evolution"/);
    expect(((await refused({ spec, strategies: ["opro", "opro"] })) as InputError).message).toMatch(
      /each strategy once/,
    );
    expect(((await refused({ spec, strategies: ["opro"] })) as InputError).message).toMatch(/at least two/);
    const badSpec = await refused({ spec: { ...spec, task: "nope" }, strategies: ["opro", "gepa"] });
    expect((badSpec as InputError).message).toMatch(/task/);
    expect(await db.optimizationRun.count()).toBe(before);
  });
});
