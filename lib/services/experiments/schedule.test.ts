// The analysis schedule's tick on both databases: instances whose timers fire together queue one
// analysis per experiment (the slot's id decides), and one experiment whose hand-over fails does not
// stop the others' analyses.
import { describe, expect, it, vi } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import type { JobTarget } from "@/lib/runner/job-kind";
import { scheduleExperimentAnalyses } from "./schedule";
import { seedExperimentWorld, startedExperiment } from "./testing";

describe.each(TEST_PROVIDERS)("scheduleExperimentAnalyses on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  it("queues one analysis when two instances tick at the same time", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access);
    const dispatched: JobTarget[] = [];
    const tick = () =>
      scheduleExperimentAnalyses(
        fixture.db,
        {},
        {
          now: 1_800_000_000_000,
          dispatch: async (target) => {
            dispatched.push(target);
          },
        },
      );
    const [a, b] = await Promise.all([tick(), tick()]);
    expect([...a, ...b]).toHaveLength(1);
    expect(await fixture.db.experimentAnalysis.count({ where: { experimentId: id } })).toBe(1);
    expect(dispatched).toHaveLength(1);
  });

  it("goes on with the other experiments when one hand-over fails", async () => {
    const first = await seedExperimentWorld(fixture.db, { slug: "one" });
    const second = await seedExperimentWorld(fixture.db, { slug: "two" });
    const ids = [
      await startedExperiment(fixture.db, first.access),
      await startedExperiment(fixture.db, second.access),
    ];
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    let calls = 0;
    const queued = await scheduleExperimentAnalyses(
      fixture.db,
      {},
      {
        dispatch: async () => {
          if (calls++ === 0) throw new Error("inngest unreachable");
        },
      },
    );
    log.mockRestore();
    expect(queued).toHaveLength(1);
    const statuses = await fixture.db.experimentAnalysis.findMany({
      where: { experimentId: { in: ids } },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status).sort()).toEqual(["failed", "queued"]);
  });
});
