// The prompts read API on both databases: tasks with their latest version, a task's versions page by
// page, one version, and the diff of two versions; all scoped to the caller's project.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPromptVersion,
  createRun,
  findOrCreateDatasetVersion,
  type PromptVersionRecord,
  upsertTask,
} from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import * as diff from "./projects/[project]/prompts/[task]/diff/route";
import * as version from "./projects/[project]/prompts/[task]/versions/[version]/route";
import * as versions from "./projects/[project]/prompts/[task]/versions/route";
import * as task from "./projects/[project]/prompts/[task]/versions/route";
import * as prompts from "./projects/[project]/prompts/route";

const V1 = {
  systemPrompt: "You are a helpful assistant.",
  outputPrompt: "Classify the sentiment.\n\nReview: {{text}}",
  demos: [],
  params: { temperature: 0 },
};
const V2 = {
  systemPrompt: "You are a helpful assistant.\nAnswer with one word.",
  outputPrompt: "Classify the sentiment of {{product}}.\n\nReview: {{text}}",
  demos: [{ input: { product: "phone", text: "Great battery" }, output: "positive" }],
  params: { temperature: 0, maxOutputTokens: 5 },
};

describe.each(TEST_PROVIDERS)("prompts API on %s", (provider) => {
  let w: ApiWorld;
  let v2: PromptVersionRecord;
  let runId: string;
  const alpha = { project: "alpha" };

  beforeAll(async () => {
    w = await createApiWorld(provider);
    const sentiment = await upsertTask(w.db, w.projects.alpha.id, {
      name: "sentiment",
      description: "Reviews",
    });
    const v1 = await createPromptVersion(w.db, sentiment.id, V1, { source: "file" });
    const { datasetVersion } = await findOrCreateDatasetVersion(w.db, w.projects.alpha.id, {
      name: "reviews",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["id", "text", "label"],
      contentHash: "h1",
      examples: [{ key: "1", rowNumber: 1, input: { text: "ok" }, expected: "neutral" }],
    });
    const run = await createRun(w.db, {
      projectId: w.projects.alpha.id,
      taskId: sentiment.id,
      kind: "optimize",
      baselineVersionId: v1.id,
      datasetVersionId: datasetVersion.id,
      config: storedRunConfig(),
      seed: 1,
    });
    runId = run.id;
    v2 = await createPromptVersion(w.db, sentiment.id, V2, { source: "optimization", runId, note: "better" });
    for (let i = 0; i < 3; i++)
      await createPromptVersion(
        w.db,
        sentiment.id,
        { ...V2, params: { temperature: i / 10 } },
        { source: "manual" },
      );
    await upsertTask(w.db, w.projects.alpha.id, { name: "empty task", description: "" });
    const secret = await upsertTask(w.db, w.projects.beta.id, { name: "beta-only", description: "secret" });
    await createPromptVersion(w.db, secret.id, V1, { source: "file" });
  });
  afterAll(async () => {
    await w?.close();
  });

  it("lists the tasks by name with their latest version, for viewers and viewer keys", async () => {
    for (const as of [w.users.viewer.credential, { bearer: w.keys.alphaViewer }]) {
      const res = await w.call(prompts.GET, { params: alpha, as });
      expect(res.status).toBe(200);
      expect(res.json.items.map((t: { name: string }) => t.name)).toEqual(["empty task", "sentiment"]);
      const [empty, sentiment] = res.json.items;
      expect(empty).toMatchObject({ versionCount: 0, latestVersion: null });
      expect(sentiment).toMatchObject({ description: "Reviews", versionCount: 5 });
      expect(sentiment.latestVersion).toMatchObject({
        version: 5,
        source: "manual",
        params: { temperature: 0.2 },
      });
      expect(typeof sentiment.latestVersion.createdAt).toBe("string");
    }
  });

  it("pages a task's versions newest first with an opaque cursor", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await w.call(versions.GET, {
        params: { ...alpha, task: "sentiment" },
        query: { limit: "2", ...(cursor ? { cursor } : {}) },
        as: w.users.viewer.credential,
      });
      expect(res.status).toBe(200);
      expect(res.json.task).toMatchObject({ name: "sentiment", versionCount: 5 });
      seen.push(...res.json.items.map((v: { version: number }) => v.version));
      cursor = res.json.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    const bad = await w.call(versions.GET, {
      params: { ...alpha, task: "sentiment" },
      query: { cursor: "garbage" },
      as: w.users.viewer.credential,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: "cursor" });
  });

  it("reads one version with content, variables, parameters, demos, source and run", async () => {
    const res = await w.call(version.GET, {
      params: { ...alpha, task: "sentiment", version: "2" },
      as: { bearer: w.keys.alphaViewer },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: v2.id,
      version: 2,
      systemPrompt: V2.systemPrompt,
      outputPrompt: V2.outputPrompt,
      variables: ["product", "text"],
      params: { temperature: 0, maxOutputTokens: 5 },
      demos: V2.demos,
      source: "optimization",
      runId,
      note: "better",
    });
    expect(res.json.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("diffs two versions field by field with line numbers", async () => {
    const res = await w.call(diff.GET, {
      params: { ...alpha, task: "sentiment" },
      query: { from: "1", to: "2" },
      as: w.users.viewer.credential,
    });
    expect(res.status).toBe(200);
    expect(res.json.identical).toBe(false);
    expect(res.json.from.version).toBe(1);
    expect(res.json.to.version).toBe(2);
    const byField = Object.fromEntries(res.json.fields.map((f: { field: string }) => [f.field, f])) as Record<
      string,
      { added: number; removed: number; lines: { kind: string; text: string }[] }
    >;
    expect(byField.systemPrompt?.lines).toEqual([
      { kind: "same", text: "You are a helpful assistant.", oldLine: 1, newLine: 1 },
      { kind: "added", text: "Answer with one word.", oldLine: null, newLine: 2 },
    ]);
    expect(byField.outputPrompt).toMatchObject({ added: 1, removed: 1 });
    expect(byField.demos).toMatchObject({ added: 4, removed: 0 });
    expect(byField.params?.lines.map((l) => `${l.kind} ${l.text}`)).toEqual([
      "added maxOutputTokens: 5",
      "same temperature: 0",
    ]);
    const same = await w.call(diff.GET, {
      params: { ...alpha, task: "sentiment" },
      query: { from: "2", to: "2" },
      as: w.users.viewer.credential,
    });
    expect(same.json.identical).toBe(true);
    expect(same.json.fields.every((f: { added: number; removed: number }) => f.added + f.removed === 0)).toBe(
      true,
    );
  });

  it("names bad or missing diff versions", async () => {
    const call = (query: Record<string, string>) =>
      w.call(diff.GET, { params: { ...alpha, task: "sentiment" }, query, as: w.users.viewer.credential });
    const missing = await call({ from: "1" });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.issues).toEqual([expect.objectContaining({ in: "query", path: "to" })]);
    expect((await call({ from: "0", to: "x" })).json.error.details.issues).toHaveLength(2);
    const absent = await call({ from: "1", to: "99" });
    expect(absent.status).toBe(404);
    expect(absent.json.error.message).toContain("no version 99");
  });

  // `task.GET` is the serving API's read (app/api/v1/serving.test.ts): an unknown task is a 404 there too.
  it("404s for unknown tasks and versions and for another project's tasks", async () => {
    const as = w.users.viewer.credential;
    expect((await w.call(task.GET, { params: { ...alpha, task: "nope" }, as })).status).toBe(404);
    expect(
      (await w.call(version.GET, { params: { ...alpha, task: "sentiment", version: "42" }, as })).status,
    ).toBe(404);
    // beta's task is invisible from alpha, and alpha is invisible to beta's key.
    expect((await w.call(task.GET, { params: { ...alpha, task: "beta-only" }, as })).status).toBe(404);
    const other = await w.call(prompts.GET, { params: alpha, as: { bearer: w.keys.betaAdmin } });
    expect(other.status).toBe(404);
    expect(other.text).not.toContain("sentiment");
    const own = await w.call(prompts.GET, { params: { project: "beta" }, as: { bearer: w.keys.betaAdmin } });
    expect(own.json.items.map((t: { name: string }) => t.name)).toEqual(["beta-only"]);
  });

  it("401 without credentials", async () => {
    expect((await w.call(prompts.GET, { params: alpha })).status).toBe(401);
    expect((await w.call(diff.GET, { params: { ...alpha, task: "sentiment" } })).status).toBe(401);
  });
});
