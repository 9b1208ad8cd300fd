// Labels through the API on both databases: add, move, roll back, remove, protect; the history and audit
// entries each change writes; refusals (role: 403 audited, nothing else changed; protected labels;
// changed variables; a label not where the caller expected it) and bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import * as history from "./projects/[project]/prompts/[task]/history/route";
import * as protection from "./projects/[project]/prompts/[task]/labels/[label]/protection/route";
import * as rollback from "./projects/[project]/prompts/[task]/labels/[label]/rollback/route";
import * as label from "./projects/[project]/prompts/[task]/labels/[label]/route";
import * as labels from "./projects/[project]/prompts/[task]/labels/route";
import {
  authorTask,
  datasetVersion,
  NEEDS_LANG,
  succeededRun,
  TYPED,
  UNTYPED,
} from "./projects/[project]/prompts/testing";

describe.each(TEST_PROVIDERS)("prompt labels API on %s", (provider) => {
  let w: ApiWorld;
  let editor: Credential;
  let taskId: string;
  const at = (name: string) => ({ project: "alpha", task: "triage", label: name });
  const move = (name: string, body: unknown, as: Credential = editor) =>
    w.call(label.PUT, { params: at(name), body, as });
  const current = async (name: string) =>
    (await w.call(labels.GET, { params: { project: "alpha", task: "triage" }, as: editor })).json.items.find(
      (l: { name: string }) => l.name === name,
    );
  const counts = async () => ({
    events: await w.db.promptLabelEvent.count(),
    labels: JSON.stringify(await w.db.promptLabel.findMany({ orderBy: { name: "asc" } })),
    audit: await w.db.auditLog.count({ where: { action: { not: "access.refused" } } }),
    refusals: await w.db.auditLog.count({ where: { action: "access.refused" } }),
  });

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = w.users.editor.credential;
    ({ taskId } = await authorTask(w, "triage", [
      UNTYPED,
      { ...UNTYPED, systemPrompt: "You sort tickets. Be brief.", message: "Shorter" },
      TYPED,
      NEEDS_LANG,
    ]));
  });
  afterAll(async () => {
    await w?.close();
  });

  it("adds and moves a label, one history and one audit entry per change, none when nothing moves", async () => {
    const added = await move("production", { version: 1, reason: "launch" });
    expect(added.status).toBe(200);
    expect(added.json.label).toMatchObject({ name: "production", version: 1, protected: false });
    expect(added.json.event).toMatchObject({
      action: "added",
      fromVersion: null,
      toVersion: 1,
      reason: "launch",
    });
    const moved = await move("production", { version: 2 });
    expect(moved.json.event).toMatchObject({ action: "moved", fromVersion: 1, toVersion: 2 });
    expect(moved.json.event.actor).toEqual({ type: "user", label: "editor@example.com" });
    const before = await counts();
    const again = await move("production", { version: 2 });
    expect(again.status).toBe(200);
    expect(again.json.event).toBeNull();
    expect(await counts()).toEqual(before);
    const listed = await w.call(labels.GET, {
      params: { project: "alpha", task: "triage" },
      as: w.users.viewer.credential,
    });
    expect(listed.json.latest).toMatchObject({ version: 4 });
    expect(listed.json.items.map((l: { name: string; version: number }) => [l.name, l.version])).toEqual([
      ["production", 2],
    ]);
    const audit = await w.db.auditLog.findMany({
      where: { action: { startsWith: "prompt.label_" }, targetLabel: "triage:production" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["prompt.label_added", { version: null }, expect.objectContaining({ version: 1, reason: "launch" })],
      ["prompt.label_moved", { version: 1 }, expect.objectContaining({ version: 2 })],
    ]);
  });

  it("rolls back in one call, one version further back each time, and 409 when nothing is earlier", async () => {
    for (const version of [1, 2, 3]) expect((await move("staging", { version })).status).toBe(200);
    const back = (as: Credential = editor) =>
      w.call(rollback.POST, { params: at("staging"), body: { reason: "bad" }, as });
    const first = await back();
    expect(first.json.event).toMatchObject({
      action: "rolled_back",
      fromVersion: 3,
      toVersion: 2,
      reason: "bad",
    });
    expect((await back()).json.label.version).toBe(1);
    const none = await back();
    expect(none.status).toBe(409);
    expect(none.json.error).toMatchObject({ code: "conflict", details: { labelVersion: 1 } });
    await move("staging", { version: 3 });
    expect((await back()).json.label.version).toBe(1);
    const page = await w.call(history.GET, {
      params: { project: "alpha", task: "triage" },
      query: { label: "staging" },
      as: w.users.viewer.credential,
    });
    const chain = page.json.items
      .reverse()
      .map(
        (e: { action: string; fromVersion: number; toVersion: number }) =>
          `${e.action} ${e.fromVersion}→${e.toVersion}`,
      );
    expect(chain).toEqual([
      "added null→1",
      "moved 1→2",
      "moved 2→3",
      "rolled_back 3→2",
      "rolled_back 2→1",
      "moved 1→3",
      "rolled_back 3→1",
    ]);
  });

  it("409 variables_changed naming what callers must send, unless confirmed; typed defaults do not count", async () => {
    expect((await move("production", { version: 3 })).json.label.version).toBe(3);
    const before = await counts();
    const refused = await move("production", { version: 4, reason: "needs lang" });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: "variables_changed", details: { variables: ["lang"] } });
    expect(refused.json.error.message).toContain("confirmVariableChange");
    expect(await counts()).toEqual(before);
    const confirmed = await move("production", { version: 4, confirmVariableChange: true });
    expect(confirmed.json.event).toMatchObject({ fromVersion: 3, toVersion: 4 });
    const backAgain = await w.call(rollback.POST, { params: at("production"), as: editor });
    expect(backAgain.json.error.code).toBe("variables_changed");
    expect(
      (
        await w.call(rollback.POST, {
          params: at("production"),
          body: { confirmVariableChange: true },
          as: editor,
        })
      ).json.label.version,
    ).toBe(3);
  });

  it("moves only from `expectedVersion` when one is given (409 naming where the label is)", async () => {
    const stale = await move("canary", { version: 2, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.error.details.labelVersion).toBeNull();
    expect((await move("canary", { version: 2, expectedVersion: null })).status).toBe(200);
    const moved = await move("canary", { version: 1, expectedVersion: 3 });
    expect(moved.json.error).toMatchObject({ code: "conflict", details: { labelVersion: 2 } });
    expect((await move("canary", { version: 1, expectedVersion: 2 })).json.label.version).toBe(1);
  });

  it("cites a run of the task as evidence; any other run id is a 400 naming evaluationRunId", async () => {
    const data = await datasetVersion(w, "tickets");
    const [v1] = (await w.db.promptVersion.findMany({ where: { taskId }, orderBy: { version: "asc" } })).map(
      (v) => v.id,
    );
    const runId = await succeededRun(w, { taskId, datasetVersionId: data, versionId: v1!, score: 0.8 });
    const cited = await move("canary", { version: 2, evaluationRunId: runId, reason: "scored 0.8" });
    expect(cited.json.event).toMatchObject({ evaluationRunId: runId });
    const bad = await move("canary", { version: 1, evaluationRunId: "no-such-run" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues).toEqual([
      expect.objectContaining({ in: "body", path: "evaluationRunId" }),
    ]);
  });

  it("removes a label into the history; 404 for unknown task, label or version; 400 naming bad input", async () => {
    const removed = await w.call(label.DELETE, {
      params: at("canary"),
      body: { reason: "done" },
      as: editor,
    });
    expect(removed.json).toMatchObject({
      label: null,
      event: { action: "removed", toVersion: null, reason: "done" },
    });
    expect(await current("canary")).toBeUndefined();
    expect((await w.call(label.DELETE, { params: at("canary"), as: editor })).status).toBe(404);
    const unknownTask = await w.call(label.PUT, {
      params: { ...at("production"), task: "nope" },
      body: { version: 1 },
      as: editor,
    });
    expect([unknownTask.status, unknownTask.json.error.message]).toEqual([
      404,
      'no task named "nope" in this project',
    ]);
    const unknownVersion = await move("production", { version: 99 });
    expect([unknownVersion.status, unknownVersion.json.error.message]).toEqual([
      404,
      'task "triage" has no version 99',
    ]);
    expect((await w.call(rollback.POST, { params: at("ghost"), as: editor })).status).toBe(404);
    const latest = await move("latest", { version: 1 });
    expect(latest.status).toBe(400);
    expect(latest.json.error.details.issues[0]).toMatchObject({ in: "params", path: "label" });
    expect((await move("Bad Name", { version: 1 })).json.error.details.issues[0].path).toBe("label");
    const missing = await move("production", { reason: 5 });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "reason",
      "version",
    ]);
    expect((await move("production", { version: "2" })).json.error.details.issues[0].path).toBe("version");
  });

  it("refuses viewers (sessions and keys) with a 403, one audit entry of the refusal, and nothing else changed", async () => {
    const viewers: Credential[] = [w.users.viewer.credential, { bearer: w.keys.alphaViewer }];
    for (const as of viewers) {
      const before = await counts();
      const calls = [
        await move("production", { version: 1 }, as),
        await w.call(label.DELETE, { params: at("production"), as }),
        await w.call(rollback.POST, { params: at("production"), as }),
        await w.call(protection.PUT, { params: at("production"), body: { protected: true }, as }),
      ];
      expect(calls.map((c) => c.status)).toEqual([403, 403, 403, 403]);
      const after = await counts();
      expect({ ...after, refusals: before.refusals }).toEqual(before);
      expect(after.refusals).toBe(before.refusals + 4);
    }
    const keyRefusals = await w.db.auditLog.findMany({
      where: { action: "access.refused", actorType: "api_key" },
    });
    expect(keyRefusals.map((e) => e.targetLabel).sort()).toEqual([
      "DELETE /api/v1/projects/{project}/prompts/{task}/labels/{label}",
      "POST /api/v1/projects/{project}/prompts/{task}/labels/{label}/rollback",
      "PUT /api/v1/projects/{project}/prompts/{task}/labels/{label}",
      "PUT /api/v1/projects/{project}/prompts/{task}/labels/{label}/protection",
    ]);
    const protect = keyRefusals.find((e) => e.targetLabel?.endsWith("/protection"));
    expect(protect).toMatchObject({ projectId: w.projects.alpha.id });
    expect(protect?.after).toMatchObject({
      required: "admin",
      role: "viewer",
      params: { task: "triage", label: "production" },
    });
  });

  it("protection: admins only; a protected label refuses moves, rollbacks and removal (protected_label)", async () => {
    const byEditor = await w.call(protection.PUT, {
      params: at("production"),
      body: { protected: true },
      as: editor,
    });
    expect(byEditor.status).toBe(403);
    const on = await w.call(protection.PUT, {
      params: at("production"),
      body: { protected: true, reason: "customers use it" },
      as: w.users.admin.credential,
    });
    expect(on.json).toMatchObject({
      label: { protected: true, version: 3 },
      event: { action: "protected", fromVersion: 3, toVersion: 3 },
    });
    const before = await counts();
    for (const res of [
      await move("production", { version: 1 }),
      await move("production", { version: 1 }, { bearer: w.keys.alphaAdmin }),
      await w.call(rollback.POST, { params: at("production"), as: editor }),
      await w.call(label.DELETE, { params: at("production"), as: editor }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.json.error).toMatchObject({ code: "protected_label", details: { labelVersion: 3 } });
    }
    expect(await counts()).toEqual(before);
    const off = await w.call(protection.PUT, {
      params: at("production"),
      body: { protected: false },
      as: w.users.owner.credential,
    });
    expect(off.json.event.action).toBe("unprotected");
    expect((await move("production", { version: 2 })).status).toBe(200);
  });
});
