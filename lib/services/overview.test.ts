// The dashboard's reads on both databases: a project's overview (counts, recent runs with their
// scores, newest prompt versions, datasets), the runs list page by page, and one run's detail, each
// limited to the project asked for.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  createPromptVersion,
  createRun,
  ensureProject,
  findOrCreateDatasetVersion,
  finishRun,
  getProjectById,
  upsertCandidates,
  upsertIteration,
  upsertTask,
} from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import {
  evaluationReport,
  iterationSummary,
  optimizationReport,
  storedRunConfig,
} from "@/lib/validation/testing/stored-fixtures";
import { getProjectOverview } from "./overview";
import { getProjectRun, listProjectRuns, runScore } from "./runs/reads";

const interval = (mean: number) => ({ mean, low: mean - 0.1, high: mean + 0.1, n: 40 });
const PROMPT = { systemPrompt: "s", outputPrompt: "{{text}}", demos: [], params: {} };

describe.each(TEST_PROVIDERS)("overview and run reads on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let alpha: ProjectAccess;
  let beta: ProjectAccess;
  const runIds: string[] = [];

  const accessTo = async (slug: string): Promise<ProjectAccess> => {
    const ref = await ensureProject(fixture.db, slug);
    const project = (await getProjectById(fixture.db, ref.id))!;
    return {
      principal: { kind: "user", userId: "u", email: "u@example.com", name: "" },
      project,
      role: "viewer",
    };
  };

  beforeAll(async () => {
    alpha = await accessTo("alpha");
    beta = await accessTo("beta");
    const task = await upsertTask(fixture.db, alpha.project.id, { name: "sentiment", description: "" });
    const v1 = await createPromptVersion(fixture.db, task.id, PROMPT, { source: "file" });
    const { datasetVersion } = await findOrCreateDatasetVersion(fixture.db, alpha.project.id, {
      name: "reviews",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["text", "label"],
      contentHash: "h",
      examples: [
        { key: "1", rowNumber: 1, input: { text: "good" }, expected: "positive" },
        { key: "2", rowNumber: 2, input: { text: "bad" }, expected: "negative" },
      ],
    });
    for (const kind of ["optimize", "eval", "optimize"] as const) {
      const run = await createRun(fixture.db, {
        projectId: alpha.project.id,
        taskId: task.id,
        kind,
        baselineVersionId: v1.id,
        datasetVersionId: datasetVersion.id,
        config: storedRunConfig(),
        seed: 7,
      });
      runIds.push(run.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [optimized, evaluated] = runIds as [string, string, string];
    await upsertIteration(fixture.db, optimized, {
      index: 1,
      incumbentScore: 0.4,
      accepted: true,
      acceptedCandidate: 0,
      summary: iterationSummary({ incumbentTrain: interval(0.3) }),
    });
    await upsertCandidates(fixture.db, optimized, 1, [
      { index: 0, ...PROMPT, systemPrompt: "better", rationale: "r", status: "evaluated", accepted: true },
    ]);
    const v2 = await createPromptVersion(
      fixture.db,
      task.id,
      { ...PROMPT, systemPrompt: "better" },
      {
        source: "optimization",
        runId: optimized,
      },
    );
    await finishRun(fixture.db, optimized, {
      status: "succeeded",
      bestVersionId: v2.id,
      report: optimizationReport({
        bestOrigin: { iteration: 1, candidate: 0 },
        test: { baseline: interval(0.4), best: interval(0.9), gain: interval(0.5), complete: true },
      }),
    });
    await finishRun(fixture.db, evaluated, {
      status: "succeeded",
      report: evaluationReport({ score: interval(0.6) }),
    });
  });

  it("the overview counts the project's content and lists its newest runs, versions and datasets", async () => {
    const overview = await getProjectOverview(fixture.db, alpha);
    expect(overview.counts).toEqual({ runs: 3, activeRuns: 1, tasks: 1, promptVersions: 2, datasets: 1 });
    expect(overview.runs.map((r) => r.id)).toEqual([...runIds].reverse());
    expect(overview.runs.map((r) => [r.status, r.score?.kind ?? null])).toEqual([
      ["queued", null],
      ["succeeded", "eval"],
      ["succeeded", "optimize"],
    ]);
    expect(overview.promptVersions.map((v) => [v.taskName, v.version, v.source])).toEqual([
      ["sentiment", 2, "optimization"],
      ["sentiment", 1, "file"],
    ]);
    expect(overview.datasets).toEqual([
      expect.objectContaining({
        name: "reviews",
        versionCount: 1,
        latest: expect.objectContaining({ rowCount: 2 }),
      }),
    ]);
    const empty = await getProjectOverview(fixture.db, beta);
    expect(empty.counts).toEqual({ runs: 0, activeRuns: 0, tasks: 0, promptVersions: 0, datasets: 0 });
    expect([empty.runs, empty.promptVersions, empty.datasets]).toEqual([[], [], []]);
  });

  it("pages the runs list newest first", async () => {
    const first = await listProjectRuns(fixture.db, alpha, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await listProjectRuns(fixture.db, alpha, { limit: 2, cursor: first.next });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual([...runIds].reverse());
    expect(second.next).toBeNull();
  });

  it("a run's detail has its iterations, candidates, score and the versions it refers to", async () => {
    const run = await getProjectRun(fixture.db, alpha, runIds[0]!);
    expect(run.iterations).toHaveLength(1);
    expect(run.candidates.map((c) => [c.iteration, c.index, c.accepted])).toEqual([[1, 0, true]]);
    expect(run.score).toMatchObject({ kind: "optimize", best: { mean: 0.9 } });
    expect(run.references.baselineVersion.version).toBe(1);
    expect(run.references.bestVersion?.version).toBe(2);
    expect(run.references.outputs.map((v) => v.version)).toEqual([2]);
    expect(run.references.dataset).toMatchObject({ name: "reviews", version: 1, rowCount: 2 });
  });

  it("another project's run is not found", async () => {
    await expect(getProjectRun(fixture.db, beta, runIds[0]!)).rejects.toMatchObject({ status: 404 });
    await expect(getProjectRun(fixture.db, alpha, "missing")).rejects.toMatchObject({ status: 404 });
  });

  it("a run's score is told apart by its report's kind", () => {
    expect(runScore(null)).toBeNull();
    expect(runScore(evaluationReport({ score: interval(0.5) }))).toEqual({
      kind: "eval",
      score: interval(0.5),
    });
    const test = { baseline: interval(0.4), best: interval(0.9), gain: interval(0.5), complete: false };
    const winner = { iteration: 1, candidate: 0 };
    expect(runScore(optimizationReport({ test, bestOrigin: winner }))).toEqual({ kind: "optimize", ...test });
    // A baseline never beaten is one prompt: one interval, and no gain.
    expect(runScore(optimizationReport({ test }))).toEqual({
      kind: "optimize",
      baseline: test.baseline,
      best: test.baseline,
      gain: { mean: 0, low: 0, high: 0, n: test.baseline.n },
      complete: false,
    });
  });
});
