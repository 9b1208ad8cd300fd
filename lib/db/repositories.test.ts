// The repositories against real SQLite and real PostgreSQL: the same test bodies on both.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PromptState, ScoredExample } from "@/lib/core/types";
import {
  countCheckpoints,
  createPromptVersion,
  createRun,
  type Db,
  deleteMetricConfig,
  deleteModelConfig,
  deleteRun,
  type ExampleInput,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  finishRun,
  getCheckpoint,
  getMetricConfig,
  getModelConfig,
  getPromptVersion,
  getRun,
  getTaskByName,
  listExampleResults,
  listExamples,
  listMetricConfigs,
  listModelConfigs,
  listPromptVersions,
  listRuns,
  markRunStarted,
  openDb,
  saveCheckpoint,
  updateRunProgress,
  upsertCandidates,
  upsertExampleResults,
  upsertIteration,
  upsertMetricConfig,
  upsertModelConfig,
  upsertTask,
} from "./index";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "./test-databases";

const prompt = (system: string, extra: Partial<PromptState> = {}): PromptState => ({
  systemPrompt: system,
  outputPrompt: "Review: {{text}}\nLanguage: {{ lang }}",
  demos: [{ input: { text: "great", lang: "en" }, output: "positive" }],
  params: { temperature: 0, maxOutputTokens: 64 },
  ...extra,
});

const examples = (n: number, prefix = "ex"): ExampleInput[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `${prefix}-${i + 1}`,
    rowNumber: i + 1,
    input: { text: `text ${i + 1}`, lang: "en" },
    expected: i % 2 ? "positive" : "negative",
  }));

const scored = (id: string, score: number, output = "positive"): ScoredExample => ({
  exampleId: id,
  output,
  error: null,
  usage: { inputTokens: 10, outputTokens: 2 },
  costUsd: 0.0001,
  latencyMs: 12.4,
  cached: false,
  score,
  metrics: { exact: { score, reason: "compared" } },
});

describe.each(TEST_PROVIDERS)("repositories on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let projectId: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    db = await openDb(database.url);
    projectId = (await ensureProject(db)).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  /** A task with a baseline version and a small dataset version, ready for runs. */
  async function fixture(name: string) {
    const task = await upsertTask(db, projectId, { name, description: "" });
    const { version } = await findOrCreatePromptVersion(db, task.id, prompt("base"), { source: "file" });
    const { datasetVersion } = await findOrCreateDatasetVersion(db, projectId, {
      name: `${name}-data`,
      sourceName: "data.jsonl",
      expectedColumn: "label",
      columns: ["text", "lang", "label"],
      contentHash: `hash-${name}`,
      examples: examples(3),
    });
    const run = await createRun(db, {
      projectId,
      taskId: task.id,
      kind: "optimize",
      baselineVersionId: version.id,
      datasetVersionId: datasetVersion.id,
      config: { maxIterations: 3 },
      seed: 7,
    });
    return { task, version, datasetVersion, run };
  }

  it("creates the default project once", async () => {
    const [a, b] = await Promise.all([ensureProject(db), ensureProject(db)]);
    expect(a).toEqual(b);
    expect(a.slug).toBe("default");
    const other = await ensureProject(db, "team-b");
    expect(other.id).not.toBe(a.id);
    expect(await db.project.count()).toBe(2);
  });

  it("upserts tasks by name", async () => {
    const t1 = await upsertTask(db, projectId, { name: "sentiment", description: "v1" });
    const t2 = await upsertTask(db, projectId, { name: "sentiment", description: "v2" });
    expect(t2.id).toBe(t1.id);
    expect((await getTaskByName(db, projectId, "sentiment"))?.description).toBe("v2");
    expect(await getTaskByName(db, projectId, "missing")).toBeNull();
  });

  it("numbers prompt versions per task and reuses identical content", async () => {
    const task = await upsertTask(db, projectId, { name: "versions", description: "" });
    const first = await findOrCreatePromptVersion(db, task.id, prompt("A"), { source: "file" });
    expect(first.created).toBe(true);
    expect(first.version.version).toBe(1);
    expect(first.version.variables).toEqual(["text", "lang"]);
    expect(first.version.demos).toEqual(prompt("A").demos);
    expect(first.version.params).toEqual({ temperature: 0, maxOutputTokens: 64 });

    // Same content with keys in another order: same hash, same version.
    const again = await findOrCreatePromptVersion(
      db,
      task.id,
      { ...prompt("A"), params: { maxOutputTokens: 64, temperature: 0 } },
      { source: "manual" },
    );
    expect(again).toMatchObject({ created: false, version: { id: first.version.id, version: 1 } });

    const second = await findOrCreatePromptVersion(db, task.id, prompt("B {{tone}}"), {
      source: "optimization",
      note: "better",
    });
    expect(second.version).toMatchObject({ version: 2, note: "better", source: "optimization" });
    // Only the output prompt is a template: "{{tone}}" in the system prompt is literal text.
    expect(second.version.variables).toEqual(["text", "lang"]);

    // createPromptVersion always adds one; findOrCreate then reuses the newest with that content.
    const third = await createPromptVersion(db, task.id, prompt("A"), { source: "manual" });
    expect(third.version).toBe(3);
    expect(third.contentHash).toBe(first.version.contentHash);
    const reused = await findOrCreatePromptVersion(db, task.id, prompt("A"), { source: "file" });
    expect(reused.version.version).toBe(3);

    expect((await listPromptVersions(db, task.id)).map((v) => v.version)).toEqual([1, 2, 3]);
    expect((await getPromptVersion(db, task.id, 2))?.systemPrompt).toBe("B {{tone}}");
    expect(await getPromptVersion(db, task.id, 9)).toBeNull();

    // Versions are numbered per task.
    const otherTask = await upsertTask(db, projectId, { name: "versions-2", description: "" });
    expect(
      (await findOrCreatePromptVersion(db, otherTask.id, prompt("A"), { source: "file" })).version.version,
    ).toBe(1);
  });

  it("numbers concurrent new versions without gaps or duplicates", async () => {
    const task = await upsertTask(db, projectId, { name: "concurrent", description: "" });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createPromptVersion(db, task.id, prompt(`P${i}`), { source: "manual" }),
      ),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const same = await Promise.all(
      Array.from({ length: 4 }, () =>
        findOrCreatePromptVersion(db, task.id, prompt("same"), { source: "file" }),
      ),
    );
    expect(new Set(same.map((r) => r.version.id)).size).toBe(1);
    expect(same.filter((r) => r.created)).toHaveLength(1);
  });

  it("writes dataset versions once per content and lists examples in file order", async () => {
    const input = {
      name: "reviews",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["text", "lang", "label"],
      contentHash: "h1",
      examples: examples(5).reverse(),
    };
    const first = await findOrCreateDatasetVersion(db, projectId, input);
    expect(first.created).toBe(true);
    expect(first.datasetVersion).toMatchObject({
      version: 1,
      rowCount: 5,
      columns: ["text", "lang", "label"],
    });
    const same = await findOrCreateDatasetVersion(db, projectId, input);
    expect(same).toMatchObject({ created: false, datasetVersion: { id: first.datasetVersion.id } });
    const next = await findOrCreateDatasetVersion(db, projectId, {
      ...input,
      contentHash: "h2",
      examples: examples(2),
    });
    expect(next.datasetVersion.version).toBe(2);

    const listed = await listExamples(db, first.datasetVersion.id);
    expect(listed.map((e) => e.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(listed[0]).toEqual({
      id: "ex-1",
      input: { text: "text 1", lang: "en" },
      expected: "negative",
      rowNumber: 1,
    });
    await expect(
      findOrCreateDatasetVersion(db, projectId, {
        ...input,
        contentHash: "dup",
        examples: [...examples(2), ...examples(1)],
      }),
    ).rejects.toThrow(/duplicate example id "ex-1"/);
  });

  it("writes a dataset version and its examples all or nothing", async () => {
    const rows = examples(2500);
    // The third chunk of 1000 rows fails after the first two were written inside the transaction.
    (rows[2400] as { expected: unknown }).expected = null;
    await expect(
      findOrCreateDatasetVersion(db, projectId, {
        name: "broken",
        sourceName: "broken.csv",
        expectedColumn: "label",
        columns: ["text", "lang", "label"],
        contentHash: "broken",
        examples: rows,
      }),
    ).rejects.toThrow();
    expect(await db.dataset.count({ where: { name: "broken" } })).toBe(0);
    expect(await db.datasetVersion.count({ where: { contentHash: "broken" } })).toBe(0);
    expect(
      await db.example.count({
        where: { key: { startsWith: "ex-" }, datasetVersion: { contentHash: "broken" } },
      }),
    ).toBe(0);
    expect(await db.example.count({ where: { expected: { in: ["positive", "negative"] } } })).toBe(
      await db.example.count(),
    );
  });

  it("writes 100k examples in one version", async () => {
    const { datasetVersion } = await findOrCreateDatasetVersion(db, projectId, {
      name: "big",
      sourceName: "big.jsonl",
      expectedColumn: "label",
      columns: ["text", "lang", "label"],
      contentHash: "big",
      examples: examples(100_000, "big"),
    });
    expect(datasetVersion.rowCount).toBe(100_000);
    expect(await db.example.count({ where: { datasetVersionId: datasetVersion.id } })).toBe(100_000);
    const listed = await listExamples(db, datasetVersion.id);
    expect(listed.at(-1)?.id).toBe("big-100000");
  }, 60_000);

  it("manages model and metric configurations", async () => {
    const created = await upsertModelConfig(db, projectId, {
      name: "task",
      modelId: "openai:gpt-4o-mini",
      params: { temperature: 0.2 },
      priceInputPerMTok: 0.15,
      priceOutputPerMTok: 0.6,
      concurrency: 4,
    });
    expect(created).toMatchObject({ credential: null, params: { temperature: 0.2 }, concurrency: 4 });
    const replaced = await upsertModelConfig(db, projectId, {
      name: "task",
      modelId: "openai-compatible:llama3",
      credential: "local-ollama",
    });
    expect(replaced).toMatchObject({ id: created.id, priceInputPerMTok: null, params: {}, concurrency: 8 });
    await upsertModelConfig(db, projectId, { name: "optimizer", modelId: "anthropic:claude" });
    expect((await listModelConfigs(db, projectId)).map((m) => m.name)).toEqual(["optimizer", "task"]);
    expect((await getModelConfig(db, projectId, "task"))?.credential).toBe("local-ollama");
    expect(await deleteModelConfig(db, projectId, "task")).toBe(true);
    expect(await deleteModelConfig(db, projectId, "task")).toBe(false);
    expect(await getModelConfig(db, projectId, "task")).toBeNull();

    await upsertMetricConfig(db, projectId, {
      name: "exact",
      metric: "exact-match",
      options: { trim: true },
    });
    const metric = await upsertMetricConfig(db, projectId, {
      name: "exact",
      metric: "exact-match",
      weight: 2,
      target: 0.9,
    });
    expect(metric).toMatchObject({ options: {}, weight: 2, target: 0.9 });
    expect(await listMetricConfigs(db, projectId)).toHaveLength(1);
    expect((await getMetricConfig(db, projectId, "exact"))?.weight).toBe(2);
    expect(await deleteMetricConfig(db, projectId, "exact")).toBe(true);
  });

  it("records a run: progress, iterations, candidates, results, outcome", async () => {
    const { run, task, version } = await fixture("run-life");
    expect(run).toMatchObject({
      status: "queued",
      taskName: "run-life",
      calls: 0,
      progress: null,
      report: null,
    });

    await markRunStarted(db, run.id);
    const started = (await getRun(db, run.id))!;
    expect(started.status).toBe("running");
    expect(started.startedAt).toBeInstanceOf(Date);

    await updateRunProgress(
      db,
      run.id,
      { step: "iter-1", done: 3, total: 9 },
      {
        calls: 12,
        inputTokens: 1200,
        outputTokens: 80,
        costUsd: 0.0123,
      },
    );
    await upsertIteration(db, run.id, {
      index: 2,
      incumbentScore: 0.7,
      accepted: true,
      acceptedCandidate: 1,
      summary: { a: 1 },
    });
    await upsertIteration(db, run.id, {
      index: 1,
      incumbentScore: 0.5,
      accepted: false,
      acceptedCandidate: null,
      summary: {},
    });
    await upsertIteration(db, run.id, {
      index: 1,
      incumbentScore: 0.6,
      accepted: false,
      acceptedCandidate: null,
      summary: { replay: true },
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
    await upsertCandidates(db, run.id, 2, [candidate(1, "proposed"), candidate(0, "rejected")]);
    await upsertCandidates(db, run.id, 1, [candidate(0, "evaluated")]);
    await upsertCandidates(db, run.id, 2, [
      { ...candidate(1, "evaluated"), trainScore: 0.8, gainLow: 0.01, gainHigh: 0.2, accepted: true },
    ]);

    const detail = (await getRun(db, run.id))!;
    expect(detail).toMatchObject({
      calls: 12,
      inputTokens: 1200,
      costUsd: 0.0123,
      progress: { step: "iter-1" },
    });
    expect(detail.iterations.map((i) => [i.index, i.incumbentScore, i.summary])).toEqual([
      [1, 0.6, { replay: true }],
      [2, 0.7, { a: 1 }],
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

    const best = await createPromptVersion(db, task.id, prompt("best"), {
      source: "optimization",
      runId: run.id,
    });
    await finishRun(db, run.id, { status: "succeeded", report: { final: 0.8 }, bestVersionId: best.id });
    const done = (await getRun(db, run.id))!;
    expect(done).toMatchObject({
      status: "succeeded",
      report: { final: 0.8 },
      bestVersionId: best.id,
      error: null,
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.baselineVersionId).toBe(version.id);
    expect(await getRun(db, "missing")).toBeNull();

    // JSON nulls: an optional column is cleared, a required one holds JSON null.
    await updateRunProgress(db, run.id, null, { calls: 1, inputTokens: 1, outputTokens: 1, costUsd: 0 });
    await upsertIteration(db, run.id, {
      index: 3,
      incumbentScore: 0,
      accepted: false,
      acceptedCandidate: null,
      summary: null,
    });
    const cleared = (await getRun(db, run.id))!;
    expect(cleared.progress).toBeNull();
    expect(cleared.iterations.at(-1)?.summary).toBeNull();
  });

  it("overwrites example results when a phase is replayed", async () => {
    const { run } = await fixture("results");
    await upsertExampleResults(db, run.id, "iter-1/train/cand-0", "train", [
      scored("ex-2", 0),
      scored("ex-1", 1),
    ]);
    await upsertExampleResults(db, run.id, "final/test/best", "test", [scored("ex-3", 1)]);
    // Replay: same phase, same examples, new values (and one duplicate in the batch: last wins).
    await upsertExampleResults(db, run.id, "iter-1/train/cand-0", "train", [
      scored("ex-1", 0.5, "neutral"),
      scored("ex-2", 1),
      scored("ex-2", 0.25),
    ]);
    const all = await listExampleResults(db, run.id);
    expect(all.map((r) => [r.phase, r.exampleKey])).toEqual([
      ["final/test/best", "ex-3"],
      ["iter-1/train/cand-0", "ex-1"],
      ["iter-1/train/cand-0", "ex-2"],
    ]);
    const phase = await listExampleResults(db, run.id, { phase: "iter-1/train/cand-0" });
    expect(phase.map((r) => [r.exampleKey, r.score, r.output])).toEqual([
      ["ex-1", 0.5, "neutral"],
      ["ex-2", 0.25, "positive"],
    ]);
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
    const { run } = await fixture("checkpoints");
    expect(await getCheckpoint(db, run.id, "iter-1/inference/batch-0")).toBeUndefined();
    await saveCheckpoint(db, run.id, "iter-1/inference/batch-0", { outputs: ["a", "b"], n: 2 });
    await saveCheckpoint(db, run.id, "iter-1/inference/batch-0", { outputs: ["a", "b"], n: 2 });
    await saveCheckpoint(db, run.id, "iter-1/null-step", null);
    await saveCheckpoint(db, run.id, "iter-1/void-step", undefined);
    await Promise.all([saveCheckpoint(db, run.id, "race", 1), saveCheckpoint(db, run.id, "race", 1)]);
    expect(await getCheckpoint(db, run.id, "iter-1/inference/batch-0")).toEqual({
      outputs: ["a", "b"],
      n: 2,
    });
    expect(await getCheckpoint(db, run.id, "iter-1/null-step")).toBeNull();
    expect(await getCheckpoint(db, run.id, "iter-1/void-step")).toBeNull();
    expect(await countCheckpoints(db, run.id)).toBe(4);
  });

  it("lists runs newest first with their task name", async () => {
    const other = await ensureProject(db, "runs-list");
    const task = await upsertTask(db, other.id, { name: "listed", description: "" });
    const { version } = await findOrCreatePromptVersion(db, task.id, prompt("x"), { source: "file" });
    const { datasetVersion } = await findOrCreateDatasetVersion(db, other.id, {
      name: "d",
      sourceName: "d.csv",
      expectedColumn: "label",
      columns: [],
      contentHash: "d",
      examples: examples(1),
    });
    const ids: string[] = [];
    for (const kind of ["optimize", "eval", "optimize"] as const) {
      const run = await createRun(db, {
        projectId: other.id,
        taskId: task.id,
        kind,
        baselineVersionId: version.id,
        datasetVersionId: datasetVersion.id,
        config: {},
        seed: 1,
      });
      ids.push(run.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const runs = await listRuns(db, other.id, { limit: 2 });
    expect(runs.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(runs[0]?.taskName).toBe("listed");
    expect(await listRuns(db, other.id)).toHaveLength(3);
  });

  it("cascades deletes from a run to its records, and from a project to everything", async () => {
    const { run, task } = await fixture("cascade");
    await upsertIteration(db, run.id, {
      index: 1,
      incumbentScore: 0,
      accepted: false,
      acceptedCandidate: null,
      summary: {},
    });
    await upsertCandidates(db, run.id, 1, [
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
    await upsertExampleResults(db, run.id, "p", "train", [scored("ex-1", 1)]);
    await saveCheckpoint(db, run.id, "s", 1);
    const output = await createPromptVersion(db, task.id, prompt("out"), {
      source: "optimization",
      runId: run.id,
    });

    expect(await deleteRun(db, run.id)).toBe(true);
    const where = { where: { runId: run.id } };
    expect(
      await Promise.all([
        db.iteration.count(where),
        db.candidate.count(where),
        db.exampleResult.count(where),
        db.stepCheckpoint.count(where),
      ]),
    ).toEqual([0, 0, 0, 0]);
    // A version produced by the run outlives it.
    expect((await getPromptVersion(db, task.id, output.version))?.runId).toBeNull();

    const doomed = await ensureProject(db, "doomed");
    const t = await upsertTask(db, doomed.id, { name: "t", description: "" });
    const { version } = await findOrCreatePromptVersion(db, t.id, prompt("d"), { source: "file" });
    const { datasetVersion } = await findOrCreateDatasetVersion(db, doomed.id, {
      name: "d",
      sourceName: "d",
      expectedColumn: "label",
      columns: [],
      contentHash: "doomed",
      examples: examples(3),
    });
    const r = await createRun(db, {
      projectId: doomed.id,
      taskId: t.id,
      kind: "eval",
      baselineVersionId: version.id,
      datasetVersionId: datasetVersion.id,
      config: {},
      seed: 0,
    });
    await saveCheckpoint(db, r.id, "s", 1);
    await upsertModelConfig(db, doomed.id, { name: "m", modelId: "sim:default" });
    await db.project.delete({ where: { id: doomed.id } });
    expect(
      await Promise.all([
        db.task.count({ where: { projectId: doomed.id } }),
        db.promptVersion.count({ where: { taskId: t.id } }),
        db.datasetVersion.count({ where: { id: datasetVersion.id } }),
        db.example.count({ where: { datasetVersionId: datasetVersion.id } }),
        db.optimizationRun.count({ where: { id: r.id } }),
        db.stepCheckpoint.count({ where: { runId: r.id } }),
        db.modelConfig.count({ where: { projectId: doomed.id } }),
      ]),
    ).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
