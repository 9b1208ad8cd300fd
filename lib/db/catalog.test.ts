// The catalog repositories against real SQLite and real PostgreSQL (the same test bodies on both):
// projects, tasks, prompt versions, dataset versions and their examples, model and metric configurations.
import { beforeAll, describe, expect, it } from "vitest";
import {
  createPromptVersion,
  deleteMetricConfig,
  deleteModelConfig,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  getMetricConfig,
  getModelConfig,
  getPromptVersion,
  getTaskByName,
  listExamples,
  listMetricConfigs,
  listModelConfigs,
  listPromptVersions,
  upsertMetricConfig,
  upsertModelConfig,
  upsertTask,
} from "./index";
import { TEST_PROVIDERS } from "./test-databases";
import { examples, prompt } from "./testing/repository-fixtures";
import { useTestDatabase } from "./testing/use-test-database";

describe.each(TEST_PROVIDERS)("catalog repositories on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let projectId: string;

  beforeAll(async () => {
    projectId = (await ensureProject(fixture.db)).id;
  });

  it("creates the default project once", async () => {
    const [a, b] = await Promise.all([ensureProject(fixture.db), ensureProject(fixture.db)]);
    expect(a).toEqual(b);
    expect(a.slug).toBe("default");
    const other = await ensureProject(fixture.db, "team-b");
    expect(other.id).not.toBe(a.id);
    expect(await fixture.db.project.count()).toBe(2);
  });

  it("upserts tasks by name", async () => {
    const t1 = await upsertTask(fixture.db, projectId, { name: "sentiment", description: "v1" });
    const t2 = await upsertTask(fixture.db, projectId, { name: "sentiment", description: "v2" });
    expect(t2.id).toBe(t1.id);
    expect((await getTaskByName(fixture.db, projectId, "sentiment"))?.description).toBe("v2");
    expect(await getTaskByName(fixture.db, projectId, "missing")).toBeNull();
  });

  it("numbers prompt versions per task and reuses identical content", async () => {
    const task = await upsertTask(fixture.db, projectId, { name: "versions", description: "" });
    const first = await findOrCreatePromptVersion(fixture.db, task.id, prompt("A"), { source: "file" });
    expect(first.created).toBe(true);
    expect(first.version.version).toBe(1);
    expect(first.version.variables).toEqual(["text", "lang"]);
    expect(first.version.demos).toEqual(prompt("A").demos);
    expect(first.version.params).toEqual({ temperature: 0, maxOutputTokens: 64 });

    // Same content with keys in another order: same hash, same version.
    const again = await findOrCreatePromptVersion(
      fixture.db,
      task.id,
      { ...prompt("A"), params: { maxOutputTokens: 64, temperature: 0 } },
      { source: "manual" },
    );
    expect(again).toMatchObject({ created: false, version: { id: first.version.id, version: 1 } });

    const second = await findOrCreatePromptVersion(fixture.db, task.id, prompt("B {{tone}}"), {
      source: "optimization",
      note: "better",
    });
    expect(second.version).toMatchObject({ version: 2, note: "better", source: "optimization" });
    // Only the output prompt is a template: "{{tone}}" in the system prompt is literal text.
    expect(second.version.variables).toEqual(["text", "lang"]);

    // createPromptVersion always adds one; findOrCreate then reuses the newest with that content.
    const third = await createPromptVersion(fixture.db, task.id, prompt("A"), { source: "manual" });
    expect(third.version).toBe(3);
    expect(third.contentHash).toBe(first.version.contentHash);
    const reused = await findOrCreatePromptVersion(fixture.db, task.id, prompt("A"), { source: "file" });
    expect(reused.version.version).toBe(3);

    expect((await listPromptVersions(fixture.db, task.id)).map((v) => v.version)).toEqual([1, 2, 3]);
    expect((await getPromptVersion(fixture.db, task.id, 2))?.systemPrompt).toBe("B {{tone}}");
    expect(await getPromptVersion(fixture.db, task.id, 9)).toBeNull();

    // Versions are numbered per task.
    const otherTask = await upsertTask(fixture.db, projectId, { name: "versions-2", description: "" });
    expect(
      (await findOrCreatePromptVersion(fixture.db, otherTask.id, prompt("A"), { source: "file" })).version
        .version,
    ).toBe(1);
  });

  it("numbers concurrent new versions without gaps or duplicates", async () => {
    const task = await upsertTask(fixture.db, projectId, { name: "concurrent", description: "" });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createPromptVersion(fixture.db, task.id, prompt(`P${i}`), { source: "manual" }),
      ),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const same = await Promise.all(
      Array.from({ length: 4 }, () =>
        findOrCreatePromptVersion(fixture.db, task.id, prompt("same"), { source: "file" }),
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
    const first = await findOrCreateDatasetVersion(fixture.db, projectId, input);
    expect(first.created).toBe(true);
    expect(first.datasetVersion).toMatchObject({
      version: 1,
      rowCount: 5,
      columns: ["text", "lang", "label"],
    });
    const same = await findOrCreateDatasetVersion(fixture.db, projectId, input);
    expect(same).toMatchObject({ created: false, datasetVersion: { id: first.datasetVersion.id } });
    const next = await findOrCreateDatasetVersion(fixture.db, projectId, {
      ...input,
      contentHash: "h2",
      examples: examples(2),
    });
    expect(next.datasetVersion.version).toBe(2);

    const listed = await listExamples(fixture.db, first.datasetVersion.id);
    expect(listed.map((e) => e.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(listed[0]).toEqual({
      id: "ex-1",
      input: { text: "text 1", lang: "en" },
      expected: "negative",
      rowNumber: 1,
    });
    await expect(
      findOrCreateDatasetVersion(fixture.db, projectId, {
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
      findOrCreateDatasetVersion(fixture.db, projectId, {
        name: "broken",
        sourceName: "broken.csv",
        expectedColumn: "label",
        columns: ["text", "lang", "label"],
        contentHash: "broken",
        examples: rows,
      }),
    ).rejects.toThrow();
    expect(await fixture.db.dataset.count({ where: { name: "broken" } })).toBe(0);
    expect(await fixture.db.datasetVersion.count({ where: { contentHash: "broken" } })).toBe(0);
    expect(
      await fixture.db.example.count({
        where: { key: { startsWith: "ex-" }, datasetVersion: { contentHash: "broken" } },
      }),
    ).toBe(0);
    expect(await fixture.db.example.count({ where: { expected: { in: ["positive", "negative"] } } })).toBe(
      await fixture.db.example.count(),
    );
  });

  it("writes 100k examples in one version", async () => {
    const { datasetVersion } = await findOrCreateDatasetVersion(fixture.db, projectId, {
      name: "big",
      sourceName: "big.jsonl",
      expectedColumn: "label",
      columns: ["text", "lang", "label"],
      contentHash: "big",
      examples: examples(100_000, "big"),
    });
    expect(datasetVersion.rowCount).toBe(100_000);
    expect(await fixture.db.example.count({ where: { datasetVersionId: datasetVersion.id } })).toBe(100_000);
    const listed = await listExamples(fixture.db, datasetVersion.id);
    expect(listed.at(-1)?.id).toBe("big-100000");
  }, 60_000);

  it("manages model and metric configurations", async () => {
    const created = await upsertModelConfig(fixture.db, projectId, {
      name: "task",
      modelId: "openai:gpt-4o-mini",
      params: { temperature: 0.2 },
      priceInputPerMTok: 0.15,
      priceOutputPerMTok: 0.6,
      concurrency: 4,
    });
    expect(created).toMatchObject({ credential: null, params: { temperature: 0.2 }, concurrency: 4 });
    const replaced = await upsertModelConfig(fixture.db, projectId, {
      name: "task",
      modelId: "openai-compatible:llama3",
      credential: "local-ollama",
    });
    expect(replaced).toMatchObject({ id: created.id, priceInputPerMTok: null, params: {}, concurrency: 8 });
    await upsertModelConfig(fixture.db, projectId, { name: "optimizer", modelId: "anthropic:claude" });
    expect((await listModelConfigs(fixture.db, projectId)).map((m) => m.name)).toEqual(["optimizer", "task"]);
    expect((await getModelConfig(fixture.db, projectId, "task"))?.credential).toBe("local-ollama");
    expect(await deleteModelConfig(fixture.db, projectId, "task")).toBe(true);
    expect(await deleteModelConfig(fixture.db, projectId, "task")).toBe(false);
    expect(await getModelConfig(fixture.db, projectId, "task")).toBeNull();

    await upsertMetricConfig(fixture.db, projectId, {
      name: "exact",
      metric: "exact-match",
      options: { trim: true },
    });
    const metric = await upsertMetricConfig(fixture.db, projectId, {
      name: "exact",
      metric: "exact-match",
      weight: 2,
      target: 0.9,
    });
    expect(metric).toMatchObject({ options: {}, weight: 2, target: 0.9 });
    expect(await listMetricConfigs(fixture.db, projectId)).toHaveLength(1);
    expect((await getMetricConfig(fixture.db, projectId, "exact"))?.weight).toBe(2);
    expect(await deleteMetricConfig(fixture.db, projectId, "exact")).toBe(true);
  });
});
