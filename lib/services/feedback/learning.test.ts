// Learning from feedback on both databases: corrections about generations become a dataset version
// (inputs from the generation, the correction as expected output; the same corrections give the same
// version), and "optimize from feedback" queues a run on it from the version the label serves.
import { describe, expect, it } from "vitest";
import { findGenerationTarget, recordFeedback, recordGeneration, SYSTEM_ACTOR } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import type { JobTarget } from "@/lib/runner/job-kind";
import { seedExperimentWorld, startedExperiment } from "../experiments/testing";
import { datasetFromFeedback, optimizeFromFeedback } from "./learning";

describe.each(TEST_PROVIDERS)("learning from feedback on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  async function correct(
    projectId: string,
    taskId: string,
    versionId: string,
    ticket: string,
    correction: string | null,
  ) {
    const { id } = await recordGeneration(fixture.db, {
      projectId,
      taskId,
      versionId,
      label: "production",
      model: "sim:default",
      variables: { ticket },
      output: "a wrong answer",
      error: null,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0,
      latencyMs: 1,
      cached: false,
      apiKeyId: null,
      userId: null,
    });
    const target = (await findGenerationTarget(fixture.db, id))!;
    await recordFeedback(fixture.db, target, {
      name: "thumbs_up",
      value: 0,
      category: null,
      comment: null,
      correction,
      source: "reviewer",
      idempotencyKey: null,
      actorLabel: "test",
    });
  }

  it("turns corrections into a dataset version and starts a run on it from the label's version", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access);
    await expect(datasetFromFeedback(fixture.db, access, id, SYSTEM_ACTOR)).rejects.toMatchObject({
      status: 409,
    });
    const task = await fixture.db.task.findFirstOrThrow({ where: { name: "support" } });
    await correct(access.project.id, task.id, versionIds[0]!, "late order", "Sorry, it ships today.");
    await correct(access.project.id, task.id, versionIds[1]!, "refund", "Refunds take 5 days.");
    await correct(access.project.id, task.id, versionIds[1]!, "no correction", null);
    const dataset = await datasetFromFeedback(fixture.db, access, id, SYSTEM_ACTOR);
    expect(dataset).toMatchObject({
      datasetName: "feedback-support",
      version: 1,
      rowCount: 2,
      created: true,
    });
    const examples = await fixture.db.example.findMany({
      where: { datasetVersionId: dataset.datasetVersionId },
      orderBy: { rowNumber: "asc" },
    });
    expect(examples.map((e) => [e.input, e.expected])).toEqual([
      [{ ticket: "late order" }, "Sorry, it ships today."],
      [{ ticket: "refund" }, "Refunds take 5 days."],
    ]);
    expect((await datasetFromFeedback(fixture.db, access, id, SYSTEM_ACTOR)).created).toBe(false);

    // The label now serves version 2 (as after a promotion): the run starts from it.
    await fixture.db.promptLabel.updateMany({
      where: { name: "production" },
      data: { versionId: versionIds[1]! },
    });
    const dispatched: JobTarget[] = [];
    const started = await optimizeFromFeedback(fixture.db, access, id, {}, SYSTEM_ACTOR, {
      dispatch: async (target) => {
        dispatched.push(target);
      },
    });
    expect(started).toMatchObject({ datasetVersionId: dataset.datasetVersionId, promptVersion: 2 });
    const run = await fixture.db.optimizationRun.findUniqueOrThrow({ where: { id: started.runId } });
    expect(run).toMatchObject({
      kind: "optimize",
      status: "queued",
      baselineVersionId: versionIds[1],
      datasetVersionId: dataset.datasetVersionId,
    });
    expect(dispatched.map((t) => t.id)).toEqual([started.runId]);
  });
});
