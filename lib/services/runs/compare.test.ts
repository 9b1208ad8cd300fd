// The runs list's model column and filters, and runs compared side by side: two real sim runs on the
// embedded runner, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { type Db, getProjectBySlug, openDb } from "@/lib/db";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@/lib/db/test-databases";
import { embeddedRunner } from "@/lib/runner";
import { intentRunSpec, seedIntentTask } from "../testing/run-fixtures";
import { comparedRunIds, compareProjectRuns } from "./compare";
import { createOptimizationRun } from "./create";
import { listProjectRuns } from "./reads";

it("reads run ids from commas and repeated parameters, once each", () => {
  expect(comparedRunIds(["a,b", " c ", "a"])).toEqual(["a", "b", "c"]);
  expect(comparedRunIds("x")).toEqual(["x"]);
  expect(comparedRunIds(undefined)).toEqual([]);
});

describe.each(TEST_PROVIDERS)("runs list and comparison on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let access: ProjectAccess;
  const ids: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    db = await openDb(database.url);
    const seeded = await seedIntentTask(db, { rows: 40 });
    access = {
      principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
      project: (await getProjectBySlug(db, "default"))!,
      role: "viewer",
    };
    for (const optimizer of ["sim:default", "sim:other"]) {
      const spec = intentRunSpec(seeded, "sim:default", {
        models: { task: "sim:default", optimizer },
        stop: { maxIterations: 1, patience: 1 },
      });
      const { id } = await createOptimizationRun(db, seeded.projectId, spec, { runner: "embedded", env: {} });
      await embeddedRunner().running(id);
      await embeddedRunner().idle();
      ids.push(id);
    }
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("lists each run's models and filters by status, kind and task", async () => {
    const all = await listProjectRuns(db, access, { limit: 10 });
    expect(all.items.map((r) => r.models)).toEqual([
      { task: "sim:default", optimizer: "sim:other" },
      { task: "sim:default", optimizer: "sim:default" },
    ]);
    expect(
      (await listProjectRuns(db, access, { limit: 10, status: "succeeded", task: "intent" })).items,
    ).toHaveLength(2);
    expect((await listProjectRuns(db, access, { limit: 10, kind: "eval" })).items).toHaveLength(0);
    expect((await listProjectRuns(db, access, { limit: 10, task: "other" })).items).toHaveLength(0);
  });

  it("compares runs: scores, spend and the prompt each ended with", async () => {
    const compared = await compareProjectRuns(db, access, ids);
    expect(compared.map((c) => c.run.id)).toEqual(ids);
    for (const c of compared) {
      expect(c.run.status).toBe("succeeded");
      expect(c.run.calls).toBeGreaterThan(0);
      expect(c.iterationsRun).toBe(1);
      expect(c.stopReason).not.toBeNull();
      expect(c.finalPrompt?.source).toMatch(/^(iteration 1, candidate \d+|the baseline, version 1)$/);
      if (c.finalPrompt?.source.startsWith("iteration"))
        expect(c.finalPrompt.outputPrompt).toContain("{{ticket}}");
    }
  });

  it("needs two to eight runs of the project, naming ids", async () => {
    for (const [given, message] of [
      [[ids[0] as string], "select at least two runs"],
      [[ids[0] as string, "nope"], 'no run "nope" in this project'],
      [Array.from({ length: 9 }, (_, i) => `r${i}`), "at most 8 runs"],
    ] as const) {
      const error = await compareProjectRuns(db, access, [...given]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).details).toMatchObject({
        issues: [{ path: "ids", message: expect.stringContaining(message) }],
      });
    }
  });
});
