// The experiment-analysis job on both databases, with the in-memory step runner: snapshots from stored
// exposures and feedback, the decision rule ending the experiment and handing its promotion to the
// embedded runner, which moves the label to the winner (in the label history, as the experiment) or
// opens a change request for a protected label, bandit weights moving toward the better variant, and
// replays that change nothing.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import { getExperiment, listAnalyses, queueAnalysis } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { embeddedRunner } from "@/lib/runner/runner-choice";
import { setActiveExperimentCache } from "./active-cache";
import { ANALYSIS_STEPS, analysisStore, executeExperimentAnalysis } from "./analysis-job";
import { exposeWithFeedback, seedExperimentWorld, startedExperiment } from "./testing";

describe.each(TEST_PROVIDERS)("experiment analysis on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  beforeEach(() => setActiveExperimentCache());
  afterAll(() => setActiveExperimentCache());

  async function analyze(experimentId: string) {
    const { id } = await queueAnalysis(fixture.db, experimentId, "manual");
    const steps = createMemoryStepRunner();
    const outcome = await executeExperimentAnalysis(fixture.db, id, steps);
    // The promotion it handed over runs on this process's embedded runner.
    await embeddedRunner().idle();
    return { id, outcome, steps };
  }

  it("declares the better variant, stops, and moves the label to it as the experiment", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await exposeWithFeedback(fixture.db, id, record.variants[0]!.id, 150, 0.3, "c");
    await exposeWithFeedback(fixture.db, id, record.variants[1]!.id, 150, 0.7, "t");
    const { outcome, steps } = await analyze(id);
    expect(outcome).toMatchObject({ status: "succeeded", decision: "winner" });
    expect(steps.executed).toEqual([ANALYSIS_STEPS.analyze, ANALYSIS_STEPS.stop, ANALYSIS_STEPS.promote]);
    const after = (await getExperiment(fixture.db, access.project.id, id))!;
    expect(after).toMatchObject({
      status: "stopped",
      decision: "winner",
      winnerVariantId: record.variants[1]!.id,
      promotion: 'label "production" moved to version 2',
      promotionStatus: "succeeded",
    });
    const label = await fixture.db.promptLabel.findFirstOrThrow({ where: { name: "production" } });
    expect(label.versionId).toBe(versionIds[1]);
    const event = await fixture.db.promptLabelEvent.findFirstOrThrow({
      where: { label: "production", action: "moved" },
    });
    expect(event).toMatchObject({ actorType: "system", actorLabel: 'experiment "Thumbs"' });
    expect(event.reason).toMatch(/variant 1 beats control/);
    const [snapshot] = await listAnalyses(fixture.db, id);
    expect(snapshot?.variants.map((v) => [v.exposures, v.n, v.mean])).toEqual([
      [150, 150, 45 / 150],
      [150, 150, 105 / 150],
    ]);
    expect(snapshot?.variants[1]?.chanceToBeatControl).toBeGreaterThan(0.99);
    expect(snapshot?.variants[1]?.difference?.pValue).toBeLessThan(0.05);
    const audit = await fixture.db.auditLog.findMany({
      where: { targetId: id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "experiment.created",
      "experiment.started",
      "experiment.stopped",
    ]);
  });

  it("a job that failed before handing over its promotion promotes once when resumed", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await exposeWithFeedback(fixture.db, id, record.variants[0]!.id, 150, 0.3, "c");
    await exposeWithFeedback(fixture.db, id, record.variants[1]!.id, 150, 0.7, "t");
    const { id: analysisId } = await queueAnalysis(fixture.db, id, "manual");
    const memory = createMemoryStepRunner();
    const failing = {
      ...memory,
      run: <T>(stepId: string, fn: () => Promise<T>) =>
        stepId === ANALYSIS_STEPS.promote
          ? Promise.reject(new Error("the process died"))
          : memory.run(stepId, fn),
    };
    const failed = await executeExperimentAnalysis(fixture.db, analysisId, failing);
    expect(failed).toMatchObject({ status: "failed", failedStep: ANALYSIS_STEPS.promote });
    // The stop queued the promotion in its own transaction: it is not lost.
    expect(await getExperiment(fixture.db, access.project.id, id)).toMatchObject({
      status: "stopped",
      promotion: "promotion queued",
      promotionStatus: "queued",
    });
    expect(await analysisStore.reopen(fixture.db, analysisId)).toMatchObject({ outcome: "reopened" });
    // The embedded runner keeps no step results for this kind: every step body runs again.
    const resumed = await executeExperimentAnalysis(fixture.db, analysisId, createMemoryStepRunner());
    expect(resumed.status).toBe("succeeded");
    await embeddedRunner().idle();
    expect((await getExperiment(fixture.db, access.project.id, id))?.promotion).toBe(
      'label "production" moved to version 2',
    );
    expect(await fixture.db.promptLabelEvent.count({ where: { label: "production", action: "moved" } })).toBe(
      1,
    );
    expect((await fixture.db.promptLabel.findFirstOrThrow({ where: { name: "production" } })).versionId).toBe(
      versionIds[1],
    );
    expect(await listAnalyses(fixture.db, id)).toHaveLength(1);
  });

  it("opens a change request instead of moving a protected label", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    await fixture.db.promptLabel.updateMany({ where: { name: "production" }, data: { protected: true } });
    const id = await startedExperiment(fixture.db, access);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await exposeWithFeedback(fixture.db, id, record.variants[0]!.id, 150, 0.3, "c");
    await exposeWithFeedback(fixture.db, id, record.variants[1]!.id, 150, 0.7, "t");
    await analyze(id);
    const after = (await getExperiment(fixture.db, access.project.id, id))!;
    expect(after.promotion).toMatch(/protected: change request .* version 2/);
    const label = await fixture.db.promptLabel.findFirstOrThrow({ where: { name: "production" } });
    expect(label.versionId).toBe(versionIds[0]);
    const request = await fixture.db.labelChangeRequest.findFirstOrThrow({});
    expect(request).toMatchObject({
      status: "open",
      toVersionId: versionIds[1],
      requestedBy: 'experiment "Thumbs"',
    });
  });

  it("keeps running without enough evidence, and a replay of a finished analysis changes nothing", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await exposeWithFeedback(fixture.db, id, record.variants[0]!.id, 40, 0.5, "c");
    await exposeWithFeedback(fixture.db, id, record.variants[1]!.id, 40, 0.55, "t");
    const { id: analysisId, outcome, steps } = await analyze(id);
    expect(outcome.decision).toBe("continue");
    expect(steps.executed).toEqual([ANALYSIS_STEPS.analyze]);
    expect((await getExperiment(fixture.db, access.project.id, id))?.status).toBe("running");
    const again = await executeExperimentAnalysis(fixture.db, analysisId, createMemoryStepRunner());
    expect(again.status).toBe("succeeded");
    expect(await listAnalyses(fixture.db, id)).toHaveLength(1);
  });

  it("bandit mode shifts the weights toward the better variant and stores the allocation", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access, { mode: "bandit" });
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await exposeWithFeedback(fixture.db, id, record.variants[0]!.id, 20, 0.3, "c");
    await exposeWithFeedback(fixture.db, id, record.variants[1]!.id, 20, 0.6, "t");
    await analyze(id);
    const after = (await getExperiment(fixture.db, access.project.id, id))!;
    const [control, treatment] = after.variants.map((v) => v.banditWeight ?? 0);
    expect(treatment).toBeGreaterThan(0.8);
    expect(control).toBeGreaterThanOrEqual(0.05);
    expect((control ?? 0) + (treatment ?? 0)).toBeCloseTo(1, 10);
    await analyze(id);
    const snapshots = await listAnalyses(fixture.db, id);
    const allocations = snapshots.map((s) => s.variants[1]?.allocation ?? 0);
    expect(allocations[0]).toBe(0.5);
    expect(allocations[1]).toBeCloseTo(treatment ?? 0, 10);
  });
});
