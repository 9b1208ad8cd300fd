// Comparing versions and labelling a run's winner, through the API on both databases: the text diff,
// parameter, model and variable changes, scores on each dataset both versions were evaluated on; "save
// winner" with a label goes through the label rules in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createRun, finishRun } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import { interval, optimizationReport, storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import * as compare from "./projects/[project]/prompts/[task]/compare/route";
import * as history from "./projects/[project]/prompts/[task]/history/route";
import * as protection from "./projects/[project]/prompts/[task]/labels/[label]/protection/route";
import * as label from "./projects/[project]/prompts/[task]/labels/[label]/route";
import * as taskFile from "./projects/[project]/prompts/[task]/versions/[version]/task-file/route";
import {
  authorTask,
  datasetVersion,
  succeededRun,
  TYPED,
  UNTYPED,
} from "./projects/[project]/prompts/testing";
import * as winner from "./projects/[project]/runs/[run]/winner/route";

describe.each(TEST_PROVIDERS)("comparing versions and labelling winners on %s", (provider) => {
  let w: ApiWorld;
  let editor: Credential;
  let taskId: string;
  let versionIds: string[];
  const task = { project: "alpha", task: "triage" };

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = w.users.editor.credential;
    ({ taskId, versionIds } = await authorTask(w, "triage", [UNTYPED, { ...TYPED, model: "sim:default" }]));
  });
  afterAll(async () => {
    await w?.close();
  });

  /** A succeeded optimization from version 1 whose winner is not saved yet. */
  async function unsavedWinner(): Promise<string> {
    const data = await datasetVersion(w, "winners");
    const run = await createRun(w.db, {
      projectId: w.projects.alpha.id,
      taskId,
      kind: "optimize",
      baselineVersionId: versionIds[0]!,
      datasetVersionId: data,
      config: storedRunConfig(),
      seed: 1,
    });
    const best = { systemPrompt: "Better", outputPrompt: "Ticket: {{ticket}}", demos: [], params: {} };
    await finishRun(w.db, run.id, {
      status: "succeeded",
      report: optimizationReport({
        best,
        bestOrigin: { iteration: 1, candidate: 0 },
        test: { best: interval(0.9) },
      }),
      bestVersionId: versionIds[0]!,
    });
    return run.id;
  }

  it("text diff, parameter, model and variable changes, and scores where both were evaluated", async () => {
    const [a, b, c] = [
      await datasetVersion(w, "a"),
      await datasetVersion(w, "b"),
      await datasetVersion(w, "c"),
    ];
    const [v1, v2] = versionIds as [string, string];
    const paired = await succeededRun(w, {
      taskId,
      datasetVersionId: a,
      versionId: v1,
      score: 0.6,
      winner: { versionId: v2, score: 0.8 },
    });
    await succeededRun(w, { taskId, datasetVersionId: b, versionId: v1, score: 0.4 });
    const cFrom = await succeededRun(w, { taskId, datasetVersionId: c, versionId: v1, score: 0.5 });
    const cTo = await succeededRun(w, { taskId, datasetVersionId: c, versionId: v2, score: 0.7 });
    const res = await w.call(compare.GET, {
      params: task,
      query: { from: "1", to: "2" },
      as: w.users.viewer.credential,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      identical: false,
      from: { version: 1 },
      to: { version: 2 },
      params: [{ name: "temperature", from: 0, to: 0.2 }],
      model: { from: null, to: "sim:default", changed: true },
      variables: {
        added: ["tone", "limit"],
        removed: [],
        changed: [],
        required: { added: [], removed: [], retyped: [] },
      },
    });
    const output = res.json.fields.find((f: { field: string }) => f.field === "outputPrompt");
    expect(output).toMatchObject({ added: 2, removed: 0 });
    const scores = res.json.scores.map(
      (s: {
        dataset: { name: string };
        from: { runId: string; score: { mean: number } };
        to: { runId: string; score: { mean: number } };
        sameRun: boolean;
      }) => [
        s.dataset.name,
        s.from.score.mean,
        s.to.score.mean,
        s.sameRun,
        s.from.runId === s.to.runId ? s.from.runId : [s.from.runId, s.to.runId],
      ],
    );
    expect(scores).toEqual([
      ["c", 0.5, 0.7, false, [cFrom, cTo]],
      ["a", 0.6, 0.8, true, paired],
    ]);
    // The task file of a version an app run used names that run's dataset (downloaded as `<name>.csv`).
    const exported = await w.call(taskFile.GET, { params: { ...task, version: "2" }, as: editor });
    expect(exported.text).toContain(`# Settings from run ${cTo}.`);
    expect(parseYaml(exported.text).dataset).toEqual({ path: "c.csv", expected: "label" });
    const same = await w.call(compare.GET, { params: task, query: { from: "2", to: "2" }, as: editor });
    expect(same.json).toMatchObject({ identical: true, params: [], model: { changed: false } });
    expect(
      (await w.call(compare.GET, { params: task, query: { from: "1", to: "9" }, as: editor })).status,
    ).toBe(404);
    const bad = await w.call(compare.GET, { params: task, query: { from: "one" }, as: editor });
    expect(bad.json.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(["from", "to"]);
  });

  it("saves a winner and labels it in one call, citing the run; a refused label leaves nothing saved", async () => {
    const run = await unsavedWinner();
    await w.call(label.PUT, { params: { ...task, label: "production" }, body: { version: 1 }, as: editor });
    await w.call(protection.PUT, {
      params: { ...task, label: "production" },
      body: { protected: true },
      as: w.users.admin.credential,
    });
    const versionsBefore = await w.db.promptVersion.count({ where: { taskId } });
    const protectedLabel = await w.call(winner.POST, {
      params: { project: "alpha", run },
      body: { label: "production" },
      as: editor,
    });
    expect(protectedLabel.json.error.code).toBe("protected_label");
    expect(await w.db.promptVersion.count({ where: { taskId } })).toBe(versionsBefore);
    expect(await w.db.stepCheckpoint.count({ where: { runId: run } })).toBe(0);
    const viewer = await w.call(winner.POST, {
      params: { project: "alpha", run },
      body: { label: "staging" },
      as: w.users.viewer.credential,
    });
    expect(viewer.status).toBe(403);
    expect(
      await w.db.auditLog.count({
        where: { action: "access.refused", targetLabel: { contains: "/winner" } },
      }),
    ).toBe(1);
    const saved = await w.call(winner.POST, {
      params: { project: "alpha", run },
      body: { label: "staging" },
      as: editor,
    });
    expect(saved.status).toBe(201);
    expect(saved.json).toMatchObject({
      version: versionsBefore + 1,
      label: { name: "staging", version: versionsBefore + 1 },
    });
    const page = await w.call(history.GET, { params: task, query: { label: "staging" }, as: editor });
    expect(page.json.items).toEqual([
      expect.objectContaining({
        action: "added",
        toVersion: versionsBefore + 1,
        evaluationRunId: run,
        reason: `Winner of run ${run}`,
      }),
    ]);
    const twice = await w.call(winner.POST, {
      params: { project: "alpha", run },
      body: { label: "staging" },
      as: editor,
    });
    expect(twice.json.error).toMatchObject({ code: "conflict", details: { version: versionsBefore + 1 } });
  });

  it("saving a winner without a label works as before", async () => {
    const run = await unsavedWinner();
    const saved = await w.call(winner.POST, { params: { project: "alpha", run }, as: editor });
    expect(saved.status).toBe(201);
    expect(saved.json.label).toBeNull();
    const bad = await w.call(winner.POST, {
      params: { project: "alpha", run },
      body: { label: "Not OK" },
      as: editor,
    });
    expect(bad.json.error.details.issues[0]).toMatchObject({ in: "body", path: "label" });
  });
});
