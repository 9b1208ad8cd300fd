// A job the CLI executes in its own process holds the job's lease, as the embedded runner does: a run
// another process holds is refused (409) with nothing executed; one nobody holds runs, and its lease is
// held while it runs (so no app instance takes it over) and released after.
import { describe, expect, it } from "vitest";
import { ConflictError } from "@/lib/core/errors";
import { claimJobLease, getRun, releaseJobLease } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useIntentProject } from "../testing/intent-project";
import { intentRunSpec } from "../testing/run-fixtures";
import { createOptimizationRun } from "./create";
import { executeRunHere } from "./task-files";

describe.each(TEST_PROVIDERS)("executeRunHere on %s", (provider) => {
  const fixture = useIntentProject(provider, "editor");
  const key = (jobId: string) => ({ kind: "optimization-run", jobId });

  async function storedRun(): Promise<string> {
    const spec = intentRunSpec(fixture.seeded, "sim:default", { budget: { calls: 60 } });
    const created = await createOptimizationRun(fixture.db, fixture.seeded.projectId, spec, {
      dispatch: async () => {},
    });
    return created.id;
  }

  it("refuses a run another process holds, executing nothing", async () => {
    const id = await storedRun();
    expect(await claimJobLease(fixture.db, key(id), "another-host:1:app", 60_000)).toBe(true);
    const refused = await executeRunHere(fixture.db, id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/is being executed by another process/);
    const run = await getRun(fixture.db, id);
    expect(run?.status).toBe("queued");
    expect(run?.calls ?? 0).toBe(0);
    await releaseJobLease(fixture.db, key(id), "another-host:1:app");
  });

  it("executes a run nobody holds, holding its lease meanwhile", async () => {
    const id = await storedRun();
    // Another process tries to take the run over while it executes here.
    let takeover: Promise<boolean> | undefined;
    const outcome = await executeRunHere(fixture.db, id, {
      progress: () => {
        takeover ??= claimJobLease(fixture.db, key(id), "another-host:1:app", 60_000);
      },
    });
    expect(outcome.status).toBe("succeeded");
    expect(await takeover).toBe(false);
    // Released at the end: another process may claim it now (and finds it finished).
    expect(await claimJobLease(fixture.db, key(id), "another-host:1:app", 60_000)).toBe(true);
  });
});
