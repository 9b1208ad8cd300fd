// The runs list's model column and filters, and runs compared side by side: two real sim runs on the
// embedded runner, on SQLite and PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { getProjectBySlug } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
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
  const fixture = useTestDatabase(provider, { scope: "all" });
  let access: ProjectAccess;
  const ids: string[] = [];

  beforeAll(async () => {
    const seeded = await seedIntentTask(fixture.db, { rows: 40 });
    access = {
      principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
      project: (await getProjectBySlug(fixture.db, "default"))!,
      role: "viewer",
    };
    for (const optimizer of ["sim:default", "sim:other"]) {
      const spec = intentRunSpec(seeded, "sim:default", {
        models: { task: "sim:default", optimizer },
        stop: { maxIterations: 1, patience: 1 },
      });
      const { id } = await createOptimizationRun(fixture.db, seeded.projectId, spec, {
        runner: "embedded",
        env: {},
      });
      await embeddedRunner().running(id);
      await embeddedRunner().idle();
      ids.push(id);
    }
  });

  it("lists each run's models and filters by status, kind and task", async () => {
    const all = await listProjectRuns(fixture.db, access, { limit: 10 });
    expect(all.items.map((r) => r.models)).toEqual([
      { task: "sim:default", optimizer: "sim:other" },
      { task: "sim:default", optimizer: "sim:default" },
    ]);
    expect(
      (await listProjectRuns(fixture.db, access, { limit: 10, status: "succeeded", task: "intent" })).items,
    ).toHaveLength(2);
    expect((await listProjectRuns(fixture.db, access, { limit: 10, kind: "eval" })).items).toHaveLength(0);
    expect((await listProjectRuns(fixture.db, access, { limit: 10, task: "other" })).items).toHaveLength(0);
  });

  it("compares runs: scores, spend and the prompt each ended with", async () => {
    const compared = await compareProjectRuns(fixture.db, access, ids);
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
      const error = await compareProjectRuns(fixture.db, access, [...given]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).details).toMatchObject({
        issues: [{ path: "ids", message: expect.stringContaining(message) }],
      });
    }
  });
});
