// Runs that cannot fit one Inngest function run (lib/core/step-plan.ts sizes them) are refused before
// they start: at creation for the Inngest runner (400 naming the limit, nothing stored), and by the
// Inngest function before its first step for a run stored for the embedded runner and resumed on Inngest.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NonRetriableError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleJobRequested, LIMITS_STEP } from "@/inngest/functions/job-function";
import { InputError } from "@/lib/core/errors";
import { type Db, getRun, openDb } from "@/lib/db";
import { createOptimizationRun } from "../runs";
import { intentRunSpec, type SeededTask, seedIntentTask } from "../testing/run-fixtures";
import { optimizationRunJob } from "./optimization-run";

let db: Db;
let seeded: SeededTask;

beforeAll(async () => {
  db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-run-limits-")), "strop.db")}`);
  seeded = await seedIntentTask(db, { rows: 40 });
});

afterAll(async () => {
  await db.$disconnect();
});

// 100 iterations of 16 candidates: about 2,400 steps, whatever the batch size.
const tooLarge = () =>
  intentRunSpec(seeded, "sim:default", {
    optimizer: { strategy: "critique-rewrite", candidates: 16, failures: 8 },
    stop: { maxIterations: 100, patience: 100 },
  });

describe("optimization runs and Inngest's limits", () => {
  it("a run that cannot fit is refused at creation on the Inngest runner, naming the limit; nothing is stored", async () => {
    const before = await db.optimizationRun.count();
    const refused = await createOptimizationRun(db, seeded.projectId, tooLarge(), {
      runner: "inngest",
      dispatch: async () => {},
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toMatch(
      /^the run needs [\d,]+ steps: Inngest allows 1,000 steps per function run; use fewer iterations/,
    );
    expect((refused as InputError).details).toMatchObject({ field: "stop.maxIterations" });
    expect(await db.optimizationRun.count()).toBe(before);
    // A run of the usual size is accepted.
    await expect(
      createOptimizationRun(db, seeded.projectId, intentRunSpec(seeded, "sim:default"), {
        runner: "inngest",
        dispatch: async () => {},
      }),
    ).resolves.toMatchObject({ runner: "inngest" });
  });

  it("the embedded runner takes it; resumed on Inngest, it fails before its first step, naming the limit", async () => {
    const { id } = await createOptimizationRun(db, seeded.projectId, tooLarge(), {
      runner: "embedded",
      dispatch: async () => {},
    });
    const ran: string[] = [];
    const step = {
      run: async (stepId: string, fn: () => Promise<unknown>) => {
        ran.push(stepId);
        return fn();
      },
      sleep: async () => {},
    };
    const failure = await handleJobRequested(optimizationRunJob, id, step, db).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NonRetriableError);
    expect((failure as Error).message).toMatch(new RegExp(`^run ${id} cannot run on Inngest: the run needs`));
    expect(ran).toEqual([LIMITS_STEP]);
    const run = await getRun(db, id);
    expect(run?.status).toBe("failed");
    expect(run?.error).toMatch(/Inngest allows 1,000 steps per function run/);
  });
});
