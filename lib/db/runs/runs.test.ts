// The runs repository against real SQLite and real PostgreSQL (the same test bodies on both): a run's
// life (progress, iterations, candidates, results, outcome), replayed writes, checkpoints, listing,
// cascades — and its stored JSON: typed on the way out, versioned, the report told apart by kind.
import { beforeAll, describe, expect, it } from "vitest";
import { StoredStateError } from "@/lib/validation/stored-document";
import {
  evaluationReport,
  interval,
  iterationSummary,
  optimizationReport,
  runProgress,
} from "@/lib/validation/testing/stored-fixtures";
import {
  countCheckpoints,
  createPromptVersion,
  deleteRun,
  ensureProject,
  finishActiveRun,
  finishRun,
  getCheckpoint,
  getPromptVersion,
  getRun,
  getRunLiveState,
  listExampleResults,
  listRuns,
  markRunStarted,
  pageProjectRuns,
  saveCheckpoint,
  updateRunProgress,
  upsertCandidates,
  upsertExampleResults,
  upsertIteration,
  upsertModelConfig,
} from "../index";
import { TEST_PROVIDERS } from "../test-databases";
import { prompt, runFixture, scored } from "../testing/repository-fixtures";
import { useTestDatabase } from "../testing/use-test-database";

describe.each(TEST_PROVIDERS)("runs repository on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let projectId: string;

  beforeAll(async () => {
    projectId = (await ensureProject(fixture.db)).id;
  });

  const storedRun = (name: string, kind?: "optimize" | "eval") =>
    runFixture(fixture.db, projectId, name, kind);

  it("records a run: progress, iterations, candidates, results, outcome", async () => {
    const { run, task, version } = await storedRun("run-life");
    expect(run).toMatchObject({
      status: "queued",
      taskName: "run-life",
      calls: 0,
      progress: null,
      report: null,
    });
    expect(run.config.stop.maxIterations).toBe(3);

    await markRunStarted(fixture.db, run.id);
    const started = (await getRun(fixture.db, run.id))!;
    expect(started.status).toBe("running");
    expect(started.startedAt).toBeInstanceOf(Date);

    await updateRunProgress(fixture.db, run.id, runProgress({ step: "iter-1", done: 3, total: 9 }), {
      calls: 12,
      inputTokens: 1200,
      outputTokens: 80,
      costUsd: 0.0123,
    });
    const summary = (trainExamples: number) => iterationSummary({ trainExamples });
    await upsertIteration(fixture.db, run.id, {
      index: 2,
      incumbentScore: 0.7,
      accepted: true,
      acceptedCandidate: 1,
      summary: summary(2),
    });
    await upsertIteration(fixture.db, run.id, {
      index: 1,
      incumbentScore: 0.5,
      accepted: false,
      acceptedCandidate: null,
      summary: summary(1),
    });
    await upsertIteration(fixture.db, run.id, {
      index: 1,
      incumbentScore: 0.6,
      accepted: false,
      acceptedCandidate: null,
      summary: summary(11),
    });
    const candidate = (index: number, status: "proposed" | "rejected" | "evaluated") => ({
      index,
      systemPrompt: `cand ${index}`,
      outputPrompt: "{{text}}",
      demos: [],
      params: { temperature: 0.3 },
      rationale: "clearer",
      status,
    });
    await upsertCandidates(fixture.db, run.id, 2, [candidate(1, "proposed"), candidate(0, "rejected")]);
    await upsertCandidates(fixture.db, run.id, 1, [candidate(0, "evaluated")]);
    await upsertCandidates(fixture.db, run.id, 2, [
      { ...candidate(1, "evaluated"), trainScore: 0.8, gainLow: 0.01, gainHigh: 0.2, accepted: true },
    ]);

    const detail = (await getRun(fixture.db, run.id))!;
    expect(detail).toMatchObject({
      calls: 12,
      inputTokens: 1200,
      costUsd: 0.0123,
      progress: { step: "iter-1" },
    });
    expect(detail.iterations.map((i) => [i.index, i.incumbentScore, i.summary.trainExamples])).toEqual([
      [1, 0.6, 11],
      [2, 0.7, 2],
    ]);
    expect(detail.candidates.map((c) => [c.iteration, c.index, c.status])).toEqual([
      [1, 0, "evaluated"],
      [2, 0, "rejected"],
      [2, 1, "evaluated"],
    ]);
    expect(detail.candidates[2]).toMatchObject({
      trainScore: 0.8,
      accepted: true,
      params: { temperature: 0.3 },
      rejectReason: null,
    });

    const best = await createPromptVersion(fixture.db, task.id, prompt("best"), {
      source: "optimization",
      runId: run.id,
    });
    const report = optimizationReport({ validation: { baseline: 0.6, best: 0.8 } });
    await finishRun(fixture.db, run.id, { status: "succeeded", report, bestVersionId: best.id });
    const done = (await getRun(fixture.db, run.id))!;
    expect(done).toMatchObject({ status: "succeeded", report, bestVersionId: best.id, error: null });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.baselineVersionId).toBe(version.id);
    expect(await getRun(fixture.db, "missing")).toBeNull();
  });

  it("stores JSON with a schemaVersion, reads rows without one as version 1, refuses newer ones", async () => {
    const { run } = await storedRun("versions");
    await updateRunProgress(fixture.db, run.id, runProgress({ done: 1 }), {
      calls: 1,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0,
    });
    const raw = await fixture.db.optimizationRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(raw.config).toMatchObject({ schemaVersion: 1, name: "task" });
    expect(raw.progress).toMatchObject({ schemaVersion: 1, done: 1 });
    // What Strop stored before documents were versioned: the same fields, no schemaVersion.
    const { schemaVersion: _config, ...oldConfig } = JSON.parse(JSON.stringify(raw.config));
    const { schemaVersion: _progress, ...oldProgress } = JSON.parse(JSON.stringify(raw.progress));
    await fixture.db.optimizationRun.update({
      where: { id: run.id },
      data: { config: oldConfig, progress: oldProgress },
    });
    const old = (await getRun(fixture.db, run.id))!;
    expect(old.config.stop.maxIterations).toBe(3);
    expect(old.progress?.done).toBe(1);
    expect(old).not.toHaveProperty("config.schemaVersion");

    await fixture.db.optimizationRun.update({
      where: { id: run.id },
      data: { progress: { ...oldProgress, schemaVersion: 2 } },
    });
    const newer = await getRun(fixture.db, run.id).catch((error: unknown) => error);
    expect(newer).toBeInstanceOf(StoredStateError);
    expect((newer as Error).message).toMatch(/run progress has schemaVersion 2, written by a newer Strop/);
    await fixture.db.optimizationRun.update({
      where: { id: run.id },
      data: { progress: { ...oldProgress, done: "one" } },
    });
    await expect(getRun(fixture.db, run.id)).rejects.toThrow(/run progress does not parse \(done:/);
  });

  it("tells reports apart by the run's kind, and refuses a report of the other kind", async () => {
    const optimize = (await storedRun("kinds-optimize")).run;
    const evaluation = (await storedRun("kinds-eval", "eval")).run;
    await finishActiveRun(fixture.db, evaluation.id, {
      status: "succeeded",
      report: evaluationReport({ score: interval(0.9) }),
    });
    const read = (await getRun(fixture.db, evaluation.id))!.report;
    expect(read?.kind).toBe("eval");
    if (read?.kind === "eval") expect(read.score.mean).toBe(0.9);
    // The stored document has no kind: the run's row says which report it is.
    const raw = await fixture.db.optimizationRun.findUniqueOrThrow({ where: { id: evaluation.id } });
    expect(raw.report).not.toHaveProperty("kind");

    await expect(
      finishActiveRun(fixture.db, optimize.id, { status: "succeeded", report: evaluationReport() }),
    ).rejects.toThrow(/the run is of kind "optimize": a report of kind "eval" cannot finish it/);
    expect((await getRun(fixture.db, optimize.id))?.status).toBe("queued");
    const page = await pageProjectRuns(fixture.db, projectId, { limit: 50, kind: "eval" });
    expect(page.items.find((r) => r.id === evaluation.id)?.report?.kind).toBe("eval");
    const live = await getRunLiveState(fixture.db, evaluation.id, 1);
    expect(live?.status).toBe("succeeded");
  });

  it("overwrites example results when a phase is replayed", async () => {
    const { run } = await storedRun("results");
    await upsertExampleResults(fixture.db, run.id, "iter-1/train/cand-0", "train", [
      scored("ex-2", 0),
      scored("ex-1", 1),
    ]);
    await upsertExampleResults(fixture.db, run.id, "final/test/best", "test", [scored("ex-3", 1)]);
    // Replay: same phase, same examples, new values (and one duplicate in the batch: last wins).
    await upsertExampleResults(fixture.db, run.id, "iter-1/train/cand-0", "train", [
      scored("ex-1", 0.5, "neutral"),
      scored("ex-2", 1),
      { ...scored("ex-2", 0.25), output: null, error: `timed out: "O'Brien" ✓`, cached: true },
    ]);
    const all = await listExampleResults(fixture.db, run.id);
    expect(all.map((r) => [r.phase, r.exampleKey])).toEqual([
      ["final/test/best", "ex-3"],
      ["iter-1/train/cand-0", "ex-1"],
      ["iter-1/train/cand-0", "ex-2"],
    ]);
    const phase = await listExampleResults(fixture.db, run.id, { phase: "iter-1/train/cand-0" });
    expect(phase.map((r) => [r.exampleKey, r.score, r.output])).toEqual([
      ["ex-1", 0.5, "neutral"],
      ["ex-2", 0.25, null],
    ]);
    expect(phase[1]).toMatchObject({ error: `timed out: "O'Brien" ✓`, cached: true });
    expect(phase[0]).toMatchObject({
      split: "train",
      inputTokens: 10,
      outputTokens: 2,
      latencyMs: 12,
      cached: false,
      metrics: { exact: { score: 0.5, reason: "compared" } },
    });
  });

  it("stores step checkpoints idempotently", async () => {
    const { run } = await storedRun("checkpoints");
    expect(await getCheckpoint(fixture.db, run.id, "iter-1/inference/batch-0")).toBeUndefined();
    await saveCheckpoint(fixture.db, run.id, "iter-1/inference/batch-0", { outputs: ["a", "b"], n: 2 });
    await saveCheckpoint(fixture.db, run.id, "iter-1/inference/batch-0", { outputs: ["a", "b"], n: 2 });
    await saveCheckpoint(fixture.db, run.id, "iter-1/null-step", null);
    await saveCheckpoint(fixture.db, run.id, "iter-1/void-step", undefined);
    await Promise.all([
      saveCheckpoint(fixture.db, run.id, "race", 1),
      saveCheckpoint(fixture.db, run.id, "race", 1),
    ]);
    expect(await getCheckpoint(fixture.db, run.id, "iter-1/inference/batch-0")).toEqual({
      outputs: ["a", "b"],
      n: 2,
    });
    expect(await getCheckpoint(fixture.db, run.id, "iter-1/null-step")).toBeNull();
    expect(await getCheckpoint(fixture.db, run.id, "iter-1/void-step")).toBeNull();
    expect(await countCheckpoints(fixture.db, run.id)).toBe(4);
  });

  it("lists runs newest first with their task name", async () => {
    const other = await ensureProject(fixture.db, "runs-list");
    const ids: string[] = [];
    for (const kind of ["optimize", "eval", "optimize"] as const) {
      ids.push((await runFixture(fixture.db, other.id, "listed", kind)).run.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const runs = await listRuns(fixture.db, other.id, { limit: 2 });
    expect(runs.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(runs[0]?.taskName).toBe("listed");
    expect(await listRuns(fixture.db, other.id)).toHaveLength(3);
  });

  it("cascades deletes from a run to its records, and from a project to everything", async () => {
    const { run, task } = await storedRun("cascade");
    await upsertIteration(fixture.db, run.id, {
      index: 1,
      incumbentScore: 0,
      accepted: false,
      acceptedCandidate: null,
      summary: iterationSummary(),
    });
    await upsertCandidates(fixture.db, run.id, 1, [
      {
        index: 0,
        systemPrompt: "",
        outputPrompt: "",
        demos: [],
        params: {},
        rationale: "",
        status: "proposed",
      },
    ]);
    await upsertExampleResults(fixture.db, run.id, "p", "train", [scored("ex-1", 1)]);
    await saveCheckpoint(fixture.db, run.id, "s", 1);
    const output = await createPromptVersion(fixture.db, task.id, prompt("out"), {
      source: "optimization",
      runId: run.id,
    });

    expect(await deleteRun(fixture.db, run.id)).toBe(true);
    const where = { where: { runId: run.id } };
    expect(
      await Promise.all([
        fixture.db.iteration.count(where),
        fixture.db.candidate.count(where),
        fixture.db.exampleResult.count(where),
        fixture.db.stepCheckpoint.count(where),
      ]),
    ).toEqual([0, 0, 0, 0]);
    // A version produced by the run outlives it.
    expect((await getPromptVersion(fixture.db, task.id, output.version))?.runId).toBeNull();

    const doomed = await ensureProject(fixture.db, "doomed");
    const { run: r, task: t, datasetVersion } = await runFixture(fixture.db, doomed.id, "t", "eval");
    await saveCheckpoint(fixture.db, r.id, "s", 1);
    await upsertModelConfig(fixture.db, doomed.id, { name: "m", modelId: "sim:default" });
    await fixture.db.project.delete({ where: { id: doomed.id } });
    expect(
      await Promise.all([
        fixture.db.task.count({ where: { projectId: doomed.id } }),
        fixture.db.promptVersion.count({ where: { taskId: t.id } }),
        fixture.db.datasetVersion.count({ where: { id: datasetVersion.id } }),
        fixture.db.example.count({ where: { datasetVersionId: datasetVersion.id } }),
        fixture.db.optimizationRun.count({ where: { id: r.id } }),
        fixture.db.stepCheckpoint.count({ where: { runId: r.id } }),
        fixture.db.modelConfig.count({ where: { projectId: doomed.id } }),
      ]),
    ).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
