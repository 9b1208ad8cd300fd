// The experiment-promotion job on both databases: queued by the stop that names a winner, run with the
// in-memory step runner and on the embedded runner (under a lease, resumed at start). A second run of a
// finished promotion does nothing; a step run again after a crash moves the label or opens the change
// request once; a decision that no longer names the winner is not promoted; a cancelled one runs nothing.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import { type Db, getExperiment, SYSTEM_ACTOR } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { takeOverUnfinishedJobs } from "@/lib/runner/engine";
import { embeddedRunner } from "@/lib/runner/runner-choice";
import { experimentPromotionJob } from "../jobs/experiment-promotion";
import { setActiveExperimentCache } from "./active-cache";
import { changeProjectExperiment } from "./manage";
import { executeExperimentPromotion, PROMOTION_STEPS, promotionStore } from "./promotion-job";
import { seedExperimentWorld, startedExperiment } from "./testing";

/** An experiment stopped on variant 1 by its decision, its promotion queued (as the analysis does). */
async function concluded(db: Db, access: ProjectAccess): Promise<{ id: string; winnerId: string }> {
  const id = await startedExperiment(db, access);
  const winnerId = (await getExperiment(db, access.project.id, id))!.variants[1]!.id;
  await changeProjectExperiment(db, access, id, "stopped", SYSTEM_ACTOR, {
    decision: "winner",
    reason: "variant 1 beats control",
    winnerVariantId: winnerId,
    promote: true,
  });
  return { id, winnerId };
}

describe.each(TEST_PROVIDERS)("experiment promotion on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  beforeEach(() => setActiveExperimentCache());
  afterAll(() => setActiveExperimentCache());

  const moves = () => fixture.db.promptLabelEvent.count({ where: { label: "production", action: "moved" } });
  const production = async () =>
    (await fixture.db.promptLabel.findFirstOrThrow({ where: { name: "production" } })).versionId;

  it("is queued by the stop, moves the label as the experiment, and does nothing a second time", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const { id } = await concluded(fixture.db, access);
    expect(await getExperiment(fixture.db, access.project.id, id)).toMatchObject({
      promotion: "promotion queued",
      promotionStatus: "queued",
    });
    const steps = createMemoryStepRunner();
    const outcome = await executeExperimentPromotion(fixture.db, id, steps);
    expect(outcome).toMatchObject({ status: "succeeded", outcome: 'label "production" moved to version 2' });
    expect(steps.executed).toEqual([PROMOTION_STEPS.check, PROMOTION_STEPS.promote, PROMOTION_STEPS.record]);
    expect(await getExperiment(fixture.db, access.project.id, id)).toMatchObject({
      promotion: 'label "production" moved to version 2',
      promotionStatus: "succeeded",
    });
    expect(await production()).toBe(versionIds[1]);
    const event = await fixture.db.promptLabelEvent.findFirstOrThrow({
      where: { label: "production", action: "moved" },
    });
    expect(event).toMatchObject({ actorType: "system", actorLabel: 'experiment "Thumbs"' });
    expect(event.reason).toMatch(/variant 1 beats control/);

    // The same decision handed over again: the finished job runs no step and changes nothing.
    const again = createMemoryStepRunner();
    expect((await executeExperimentPromotion(fixture.db, id, again)).status).toBe("succeeded");
    expect(again.executed).toEqual([]);
    expect(await promotionStore.reopen(fixture.db, id)).toEqual({
      outcome: "not-resumable",
      from: "succeeded",
    });
    expect(await moves()).toBe(1);
  });

  it("does not override a label a person moved after the experiment stopped", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const { id } = await concluded(fixture.db, access);
    // Someone sets production again (to control) while the promotion waits in the queue.
    await fixture.db.promptLabel.updateMany({
      where: { name: "production" },
      data: { updatedBy: "ada@example.com", updatedAt: new Date(Date.now() + 1000) },
    });
    const outcome = await executeExperimentPromotion(fixture.db, id, createMemoryStepRunner());
    expect(outcome.status).toBe("succeeded");
    expect((outcome as { outcome?: string }).outcome).toMatch(
      /^not promoted: label "production" changed after the experiment stopped \(it points at version 1, moved by ada@example.com\)/,
    );
    expect(await production()).toBe(versionIds[0]);
    expect(await moves()).toBe(0);
  });

  it("a promotion that died after opening its change request opens no second one when resumed", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    await fixture.db.promptLabel.updateMany({ where: { name: "production" }, data: { protected: true } });
    const { id } = await concluded(fixture.db, access);
    const memory = createMemoryStepRunner();
    const dying = {
      ...memory,
      run: <T>(stepId: string, fn: () => Promise<T>) =>
        stepId === PROMOTION_STEPS.record
          ? Promise.reject(new Error("the process died"))
          : memory.run(stepId, fn),
    };
    const failed = await executeExperimentPromotion(fixture.db, id, dying);
    expect(failed).toMatchObject({ status: "failed", failedStep: PROMOTION_STEPS.record });
    expect((await getExperiment(fixture.db, access.project.id, id))?.promotion).toBe(
      "promotion failed at record: the process died",
    );
    expect(await promotionStore.reopen(fixture.db, id)).toEqual({ outcome: "reopened", from: "failed" });
    // No step results are kept for this kind: every step body runs again.
    const resumed = await executeExperimentPromotion(fixture.db, id, createMemoryStepRunner());
    expect(resumed.status).toBe("succeeded");
    const requests = await fixture.db.labelChangeRequest.findMany({});
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      status: "open",
      toVersionId: versionIds[1],
      requestedBy: 'experiment "Thumbs"',
    });
    expect(resumed.outcome).toBe(
      `label "production" is protected: change request ${requests[0]!.id} asks to move it to version 2`,
    );
    expect(await production()).toBe(versionIds[0]);
  });

  it("promotes only the winner it was queued for", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const { id } = await concluded(fixture.db, access);
    // Another decision meanwhile (a repaired row, a newer version of the app): not this promotion's.
    await fixture.db.experiment.update({
      where: { id },
      data: { winnerVariantId: null, decision: "inconclusive" },
    });
    const steps = createMemoryStepRunner();
    const outcome = await executeExperimentPromotion(fixture.db, id, steps);
    expect(outcome).toMatchObject({
      status: "succeeded",
      outcome: "not promoted: the experiment's decision is not that winner",
    });
    expect(steps.executed).toEqual([PROMOTION_STEPS.check, PROMOTION_STEPS.record]);
    expect(await production()).toBe(versionIds[0]);
  });

  it("a stop by hand queues no promotion; a cancelled promotion runs no step", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const byHand = await startedExperiment(fixture.db, access);
    await changeProjectExperiment(fixture.db, access, byHand, "stopped", SYSTEM_ACTOR);
    expect(await getExperiment(fixture.db, access.project.id, byHand)).toMatchObject({
      promotion: null,
      promotionStatus: null,
    });
    expect(await promotionStore.status(fixture.db, byHand)).toBeNull();

    const { id } = await concluded(fixture.db, access);
    expect(await promotionStore.markCancelled(fixture.db, id)).toBe(true);
    const steps = createMemoryStepRunner();
    expect((await executeExperimentPromotion(fixture.db, id, steps)).status).toBe("cancelled");
    expect(steps.executed).toEqual([]);
    expect((await getExperiment(fixture.db, access.project.id, id))?.promotion).toBe("promotion cancelled");
    expect(await moves()).toBe(0);
  });

  it("a promotion left queued by a process that died is taken over by the embedded runner", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const { id } = await concluded(fixture.db, access);
    const runner = embeddedRunner();
    const resumed = await takeOverUnfinishedJobs([experimentPromotionJob], fixture.db, {
      embedded: () => runner,
    });
    expect(resumed["experiment-promotion"]?.resumed).toEqual([id]);
    await runner.idle();
    expect(await getExperiment(fixture.db, access.project.id, id)).toMatchObject({
      promotionStatus: "succeeded",
      promotion: 'label "production" moved to version 2',
    });
    expect(await production()).toBe(versionIds[1]);
    // Nothing left to take over.
    const again = await takeOverUnfinishedJobs([experimentPromotionJob], fixture.db, {
      embedded: () => runner,
    });
    expect(again["experiment-promotion"]?.resumed).toEqual([]);
    expect(await fixture.db.jobLease.count({ where: { kind: "experiment-promotion" } })).toBe(0);
  });
});
