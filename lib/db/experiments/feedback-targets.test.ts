// The feedback targets of many generations and exposures read at once (the batch endpoint's lookup), on
// both databases: each equal to the one-by-one lookup, unknown ids absent, repeated ids read once.
import { beforeAll, describe, expect, it } from "vitest";
import { seedExperimentWorld, startedExperiment } from "@/lib/services/experiments/testing";
import { recordGeneration } from "../serving";
import { TEST_PROVIDERS } from "../test-databases";
import { useTestDatabase } from "../testing/use-test-database";
import { recordExposure } from "./exposures";
import { findExposureTarget, findFeedbackTargets, findGenerationTarget } from "./feedback";

describe.each(TEST_PROVIDERS)("findFeedbackTargets on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  const generations: string[] = [];
  const exposures: string[] = [];

  beforeAll(async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const experimentId = await startedExperiment(fixture.db, access);
    const variants = await fixture.db.experimentVariant.findMany({
      where: { experimentId },
      orderBy: { index: "asc" },
    });
    const task = await fixture.db.task.findFirstOrThrow({ where: { projectId: access.project.id } });
    for (let i = 0; i < 3; i++) {
      const exposure = await recordExposure(fixture.db, experimentId, `subject-${i}`, variants[i % 2]!.id);
      exposures.push(exposure.id);
      const generation = await recordGeneration(fixture.db, {
        projectId: access.project.id,
        taskId: task.id,
        versionId: versionIds[i % 2]!,
        label: "production",
        model: "sim:test",
        variables: { ticket: `t${i}` },
        output: "ok",
        error: null,
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0,
        latencyMs: 1,
        cached: false,
        apiKeyId: null,
        userId: null,
        // One generation served under an exposure: its target names the experiment.
        exposureId: i === 0 ? exposure.id : null,
      });
      generations.push(generation.id);
    }
  });

  it("answers what the one-by-one lookups answer, by id; unknown ids are absent", async () => {
    const found = await findFeedbackTargets(fixture.db, {
      generationIds: [...generations, generations[1]!, "no-such-generation"],
      exposureIds: [exposures[2]!, "no-such-exposure", exposures[0]!],
    });
    expect([...found.generations.keys()].sort()).toEqual([...generations].sort());
    for (const id of generations)
      expect(found.generations.get(id)).toEqual(await findGenerationTarget(fixture.db, id));
    expect(found.generations.get(generations[0]!)?.experimentId).toBeTruthy();
    expect([...found.exposures.keys()].sort()).toEqual([exposures[0]!, exposures[2]!].sort());
    for (const id of [exposures[0]!, exposures[2]!])
      expect(found.exposures.get(id)).toEqual(await findExposureTarget(fixture.db, id));
  });

  it("reads nothing for empty lists", async () => {
    const found = await findFeedbackTargets(fixture.db, { generationIds: [], exposureIds: [] });
    expect(found.generations.size + found.exposures.size).toBe(0);
  });
});
