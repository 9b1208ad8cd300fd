// The engine reading ML settings from the database, on both databases: task files naming stored model
// and metric configurations (`{ config: "<name>" }`), resolved in the CLI's "default" project; runs using
// the project's stored provider credentials when the environment has none (real HTTP to the loopback
// fake OpenAI server); and API runs getting every stored field of a model configuration.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { ensureProject, getProjectBySlug, getRun, upsertMetricConfig, upsertModelConfig } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { setProjectCredential } from "./credentials/manage";
import { createOptimizationRun } from "./runs";
import { evaluateTaskFile } from "./runs/task-files";
import { loadTaskFile } from "./task-file";
import { intentRunSpec, seedIntentTask } from "./testing/run-fixtures";

const STORED_KEY = "sk-stored-SECRET-0123456789";
const dir = mkdtempSync(path.join(tmpdir(), "strop-settings-"));
const baseTask = {
  name: "settings-task",
  prompt: { system: "Classify.", output: "Review: {{text}}" },
  dataset: { path: "data.csv", expected: "label" },
  models: { task: { config: "fake-openai" }, optimizer: { config: "fake-openai" } },
  metrics: [{ config: "exact" }],
  cache: { enabled: false },
};
function writeTask(name: string, task: Record<string, unknown>): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(task));
  return file;
}

let fake: FakeServer;
const savedKey = process.env.OPENAI_API_KEY;
const savedUrl = process.env.OPENAI_BASE_URL;

beforeAll(async () => {
  writeFileSync(
    path.join(dir, "data.csv"),
    "text,label\ngreat,positive\nawful,negative\nfine,neutral\nsuperb,positive\n",
  );
  fake = await startFakeOpenAIServer();
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
});

afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  if (savedKey !== undefined) process.env.OPENAI_API_KEY = savedKey;
  if (savedUrl !== undefined) process.env.OPENAI_BASE_URL = savedUrl;
});

describe.each(TEST_PROVIDERS)("stored configurations and credentials in runs on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let access: ProjectAccess;

  beforeAll(async () => {
    const project = await ensureProject(fixture.db, "default");
    await upsertModelConfig(fixture.db, project.id, {
      name: "fake-openai",
      modelId: "openai:default",
      concurrency: 3,
      params: { temperature: 0 },
      requestsPerMinute: 6000,
      timeoutMs: 15_000,
      maxRetries: 1,
      priceInputPerMTok: 1,
      priceOutputPerMTok: 2,
    });
    await upsertMetricConfig(fixture.db, project.id, { name: "exact", metric: "exact_match", weight: 2 });
    access = {
      project: (await getProjectBySlug(fixture.db, "default"))!,
      role: "owner",
      principal: { kind: "user", userId: "cli", email: "cli@example.com", name: "cli" },
    };
  });

  it("resolves { config } references of a task file into complete inline configurations", async () => {
    const loaded = await loadTaskFile(writeTask("refs.json", baseTask), { db: fixture.db });
    expect(loaded.task.models.task).toEqual({
      id: "openai:default",
      concurrency: 3,
      params: { temperature: 0 },
      price: { input: 1, output: 2 },
      rateLimit: { requestsPerMinute: 6000 },
      timeoutMs: 15_000,
      maxRetries: 1,
    });
    expect(loaded.task.metrics).toEqual([{ name: "exact_match", options: {}, weight: 2 }]);
  });

  it("names each reference that does not resolve, and refuses references without a database", async () => {
    const file = writeTask("missing.json", {
      ...baseTask,
      models: { task: { config: "nope" }, optimizer: { id: "sim:default" } },
      metrics: [{ name: "exact_match" }, { config: "gone" }],
    });
    const error = await loadTaskFile(file, { db: fixture.db }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'models.task.config: no model configuration named "nope" in project "default"',
    );
    expect((error as Error).message).toContain('metrics.1.config: no metric configuration named "gone"');
    await expect(loadTaskFile(file, { db: fixture.db, project: "elsewhere" })).rejects.toThrow(
      /in project "elsewhere"/,
    );
    await expect(loadTaskFile(file)).rejects.toThrow(/need the database/);
  });

  it("refuses a model with both id and config, naming it", async () => {
    const file = writeTask("both.json", {
      ...baseTask,
      models: { task: { config: "fake-openai", id: "sim:default" }, optimizer: { config: "fake-openai" } },
    });
    await expect(loadTaskFile(file, { db: fixture.db })).rejects.toThrow(
      /models\.task: give exactly one of "id" .* or "config"/,
    );
  });

  it("still accepts self-contained task files, with or without a database", async () => {
    const inline = { ...baseTask, models: { task: { id: "sim:default" }, optimizer: { id: "sim:default" } } };
    const file = writeTask("inline.json", { ...inline, metrics: [{ name: "exact_match" }] });
    expect((await loadTaskFile(file)).task.models.task.id).toBe("sim:default");
    expect((await loadTaskFile(file, { db: fixture.db })).task.models.task.id).toBe("sim:default");
  });

  it("runs a task file naming a stored model with the project's stored credential (no environment)", async () => {
    const file = writeTask("run.json", baseTask);
    // Without a credential anywhere, the provider is not configured: every example fails, nothing is sent.
    const sentBefore = fake.requests.length;
    const without = await evaluateTaskFile(file, { db: fixture.db });
    expect(without.report.failed).toBe(4);
    expect(fake.requests.length).toBe(sentBefore);

    await setProjectCredential(
      fixture.db,
      access,
      "openai",
      { apiKey: STORED_KEY, baseURL: fake.baseURL },
      {
        type: "system",
        id: null,
        label: "test",
      },
    );
    const before = fake.requests.length;
    const outcome = await evaluateTaskFile(file, { db: fixture.db });
    expect(outcome.report.score.mean).toBeGreaterThanOrEqual(0);
    const calls = fake.requests.slice(before).filter((r) => r.path === "/v1/chat/completions");
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.every((c) => c.headers.authorization === "[redacted]")).toBe(true);
    expect(calls.every((c) => (c.body as { model: string }).model === "default")).toBe(true);
    const run = await getRun(fixture.db, outcome.runId);
    expect(JSON.stringify(run?.config)).not.toContain(STORED_KEY);
    expect((run!.config as { models: { task: unknown } }).models.task).toMatchObject({
      rateLimit: { requestsPerMinute: 6000 },
    });
  });

  it("API runs accept a stored model whose provider only the stored credential configures", async () => {
    const seeded = await seedIntentTask(fixture.db, { rows: 12 });
    const created = await createOptimizationRun(
      fixture.db,
      seeded.projectId,
      intentRunSpec(seeded, "openai:default", { models: { task: "fake-openai", optimizer: "fake-openai" } }),
      { env: {}, dispatch: async () => {} },
    );
    const run = await getRun(fixture.db, created.id);
    expect((run!.config as { models: { task: unknown } }).models.task).toMatchObject({
      id: "openai:default",
      rateLimit: { requestsPerMinute: 6000 },
      timeoutMs: 15_000,
      maxRetries: 1,
    });
  });
});
