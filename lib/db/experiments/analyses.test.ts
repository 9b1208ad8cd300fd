// An analysis reads an automatic metric's sums per variant in one grouped query, on both databases:
// counts, sums and sums of squares of errors (0/1), latency, cost and output tokens of the generations
// served under the experiment — and nothing of generations outside it.
import { describe, expect, it } from "vitest";
import { seedExperimentWorld, startedExperiment } from "@/lib/services/experiments/testing";
import { TEST_PROVIDERS } from "../test-databases";
import { useTestDatabase } from "../testing/use-test-database";
import { automaticMetricSums } from "./analyses";
import { getExperiment } from "./experiments";

describe.each(TEST_PROVIDERS)("automaticMetricSums on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });

  it("sums each automatic metric per variant over the experiment's generations", async () => {
    const { access, versionIds } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    const [control, treatment] = record.variants.map((v) => v.id) as [string, string];
    await fixture.db.exposure.createMany({
      data: [
        { id: "x-a", experimentId: id, variantId: control, subjectId: "a" },
        { id: "x-b", experimentId: id, variantId: treatment, subjectId: "b" },
      ],
    });
    const base = { projectId: access.project.id, taskId: record.taskId, model: "sim:default", variables: {} };
    const generation = (n: number, exposureId: string | null, metrics: Record<string, unknown>) => ({
      ...base,
      id: `g-${n}`,
      versionId: versionIds[0] as string,
      output: "ok",
      exposureId,
      ...metrics,
    });
    await fixture.db.generation.createMany({
      data: [
        generation(1, "x-a", { latencyMs: 100, costUsd: 0.5, outputTokens: 10 }),
        generation(2, "x-a", { latencyMs: 300, costUsd: 1.5, outputTokens: 30, error: "timeout" }),
        generation(3, "x-b", { latencyMs: 70000, costUsd: 0, outputTokens: 5 }),
        // Served outside the experiment: not counted.
        generation(4, null, { latencyMs: 9, costUsd: 9, outputTokens: 9, error: "x" }),
      ],
    });
    const sums = await automaticMetricSums(fixture.db, id);
    expect(sums.get(control)).toEqual({
      errorRate: { n: 2, sum: 1, sumSquares: 1 },
      latencyMs: { n: 2, sum: 400, sumSquares: 100_000 },
      costUsd: { n: 2, sum: 2, sumSquares: 2.5 },
      outputTokens: { n: 2, sum: 40, sumSquares: 1000 },
    });
    // Squares of large latencies do not overflow an integer column's type.
    expect(sums.get(treatment)?.latencyMs).toEqual({ n: 1, sum: 70000, sumSquares: 4_900_000_000 });
    expect(sums.get(treatment)?.errorRate).toEqual({ n: 1, sum: 0, sumSquares: 0 });
  });
});
