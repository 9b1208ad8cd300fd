// Change requests through the API on both databases: how a protected label moves. Requested with the
// diff and the newest evaluation of both versions, approved by another admin (self-approval refused and
// audited), applied in one transaction with the label move; stale when the label moved meanwhile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import * as apply from "./projects/[project]/prompts/[task]/change-requests/[request]/apply/route";
import * as approve from "./projects/[project]/prompts/[task]/change-requests/[request]/approve/route";
import * as cancel from "./projects/[project]/prompts/[task]/change-requests/[request]/cancel/route";
import * as reject from "./projects/[project]/prompts/[task]/change-requests/[request]/reject/route";
import * as one from "./projects/[project]/prompts/[task]/change-requests/[request]/route";
import * as requests from "./projects/[project]/prompts/[task]/change-requests/route";
import * as history from "./projects/[project]/prompts/[task]/history/route";
import * as protection from "./projects/[project]/prompts/[task]/labels/[label]/protection/route";
import * as label from "./projects/[project]/prompts/[task]/labels/[label]/route";
import {
  authorTask,
  datasetVersion,
  NEEDS_LANG,
  succeededRun,
  UNTYPED,
} from "./projects/[project]/prompts/testing";

describe.each(TEST_PROVIDERS)("label change requests on %s", (provider) => {
  let w: ApiWorld;
  let editor: Credential;
  let admin: Credential;
  let owner: Credential;
  let runIds: { evaluation: string; optimization: string };
  const task = { project: "alpha", task: "support" };
  const ask = (body: unknown, as: Credential = editor) => w.call(requests.POST, { params: task, body, as });
  const act = (route: typeof apply, id: string, as: Credential) =>
    w.call(route.POST, { params: { ...task, request: id }, as });
  const status = async (id: string) =>
    (await w.db.labelChangeRequest.findUniqueOrThrow({ where: { id } })).status;
  const production = async () =>
    w.db.promptLabel.findFirstOrThrow({ where: { name: "production" }, include: { version: true } });

  beforeAll(async () => {
    w = await createApiWorld(provider);
    [editor, admin, owner] = [w.users.editor.credential, w.users.admin.credential, w.users.owner.credential];
    const { taskId, versionIds } = await authorTask(w, "support", [
      UNTYPED,
      { ...UNTYPED, systemPrompt: "You sort support tickets.\nAnswer with one word.", message: "Shorter" },
      NEEDS_LANG,
    ]);
    const data = await datasetVersion(w, "tickets");
    const evaluation = await succeededRun(w, {
      taskId,
      datasetVersionId: data,
      versionId: versionIds[0]!,
      score: 0.55,
    });
    const optimization = await succeededRun(w, {
      taskId,
      datasetVersionId: data,
      versionId: versionIds[0]!,
      score: 0.6,
      winner: { versionId: versionIds[1]!, score: 0.8 },
    });
    runIds = { evaluation, optimization };
    await w.call(label.PUT, { params: { ...task, label: "production" }, body: { version: 1 }, as: editor });
    await w.call(protection.PUT, {
      params: { ...task, label: "production" },
      body: { protected: true },
      as: admin,
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it("a request shows the diff, the variable changes and the newest evaluation of both versions", async () => {
    const res = await ask({
      label: "production",
      version: 2,
      reason: "scores 0.8",
      evaluationRunId: runIds.optimization,
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      label: "production",
      status: "open",
      fromVersion: 1,
      toVersion: 2,
      labelVersion: 1,
      requestedBy: "editor@example.com",
      evaluationRunId: runIds.optimization,
      variableChanges: { added: [], removed: [], retyped: [] },
    });
    expect(res.json.evaluations.from).toMatchObject({
      runId: runIds.optimization,
      role: "baseline",
      split: "test",
      score: { mean: 0.6 },
    });
    expect(res.json.evaluations.to).toMatchObject({
      runId: runIds.optimization,
      role: "winner",
      score: { mean: 0.8 },
    });
    const system = res.json.diff.find((f: { field: string }) => f.field === "systemPrompt");
    expect(system).toMatchObject({ added: 1, removed: 0 });
    const read = await w.call(one.GET, {
      params: { ...task, request: res.json.id },
      as: w.users.viewer.credential,
    });
    expect(read.json).toMatchObject({ id: res.json.id, status: "open", evaluations: res.json.evaluations });
  });

  it("approval: admins only, never the requester (403 audited, nothing else changed), then applied", async () => {
    const [request] = (await w.call(requests.GET, { params: task, query: { status: "open" }, as: editor }))
      .json.items;
    expect((await act(approve, request.id, editor)).status).toBe(403);
    const own = (await ask({ label: "production", version: 2, reason: "mine" }, admin)).json;
    const refusalsBefore = await w.db.auditLog.count({ where: { action: "access.refused" } });
    const self = await act(approve, own.id, admin);
    expect(self.status).toBe(403);
    expect(self.json.error.message).toContain("requester");
    expect(await status(own.id)).toBe("open");
    expect(await w.db.auditLog.count({ where: { action: "access.refused" } })).toBe(refusalsBefore + 1);
    const approved = await act(approve, request.id, owner);
    expect(approved.json).toMatchObject({ status: "approved", decidedBy: "owner@example.com" });
    expect((await act(approve, request.id, admin)).json.error).toMatchObject({
      code: "conflict",
      details: { status: "approved" },
    });
    const applied = await act(apply, request.id, editor);
    expect(applied.status).toBe(200);
    expect(applied.json.label).toMatchObject({ name: "production", version: 2, protected: true });
    expect(applied.json.event).toMatchObject({
      action: "moved",
      fromVersion: 1,
      toVersion: 2,
      changeRequestId: request.id,
    });
    expect(applied.json.request.status).toBe("applied");
    // The admin's own request was made against version 1: the move made it stale.
    expect(await status(own.id)).toBe("stale");
    expect((await act(approve, own.id, owner)).status).toBe(409);
    const audit = await w.db.auditLog.findMany({
      where: { targetId: request.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "prompt.change_requested",
      "prompt.change_approved",
      "prompt.change_applied",
    ]);
  });

  it("a request whose label moved after approval cannot be applied: marked stale, 409", async () => {
    const request = (await ask({ label: "production", version: 1, reason: "back" })).json;
    expect((await act(approve, request.id, admin)).status).toBe(200);
    await w.call(protection.PUT, {
      params: { ...task, label: "production" },
      body: { protected: false },
      as: admin,
    });
    await w.call(label.PUT, {
      params: { ...task, label: "production" },
      body: { version: 3, confirmVariableChange: true },
      as: editor,
    });
    await w.call(protection.PUT, {
      params: { ...task, label: "production" },
      body: { protected: true },
      as: admin,
    });
    const eventsBefore = await w.db.promptLabelEvent.count();
    const stale = await act(apply, request.id, editor);
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: "conflict", details: { status: "stale" } });
    expect(await status(request.id)).toBe("stale");
    expect((await production()).version.version).toBe(3);
    expect(await w.db.promptLabelEvent.count()).toBe(eventsBefore);
  });

  it("an approval after the label moved marks the request stale instead", async () => {
    const request = (await ask({ label: "staging", version: 2, reason: "try" })).json;
    expect(request.fromVersion).toBeNull();
    await w.call(label.PUT, { params: { ...task, label: "staging" }, body: { version: 1 }, as: editor });
    const res = await act(approve, request.id, admin);
    expect(res.json.error.details.status).toBe("stale");
    expect(await status(request.id)).toBe("stale");
  });

  it("rejects and cancels: rejected requests cannot be applied; only the requester or an admin cancels", async () => {
    const rejected = (
      await ask({ label: "production", version: 2, reason: "again", confirmVariableChange: true })
    ).json;
    expect((await act(reject, rejected.id, owner)).json.status).toBe("rejected");
    expect((await act(apply, rejected.id, editor)).json.error.details.status).toBe("rejected");
    const mine = (
      await ask({ label: "production", version: 1, reason: "or this", confirmVariableChange: true })
    ).json;
    const refusalsBefore = await w.db.auditLog.count({ where: { action: "access.refused" } });
    const byKey = await act(cancel, mine.id, { bearer: w.keys.alphaEditor });
    expect(byKey.status).toBe(403);
    expect(await w.db.auditLog.count({ where: { action: "access.refused" } })).toBe(refusalsBefore + 1);
    expect((await act(cancel, mine.id, editor)).json.status).toBe("cancelled");
    expect((await act(cancel, mine.id, editor)).status).toBe(409);
  });

  it("changed variables need confirmation; bad input is a 400 naming the field; unknown ones 404", async () => {
    const fromThree = await ask({ label: "production", version: 1, reason: "drop lang" });
    expect(fromThree.json.error).toMatchObject({
      code: "variables_changed",
      details: { variables: ["lang"] },
    });
    const confirmed = await ask({
      label: "production",
      version: 1,
      reason: "drop lang",
      confirmVariableChange: true,
    });
    expect(confirmed.json.variableChanges).toEqual({ added: [], removed: ["lang"], retyped: [] });
    const bad = await ask({ label: "latest", version: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "label",
      "reason",
      "version",
    ]);
    expect((await ask({ label: "production", version: 42, reason: "x" })).status).toBe(404);
    expect((await act(approve, "no-such-request", admin)).status).toBe(404);
    expect((await w.call(requests.GET, { params: { ...task, task: "nope" }, as: editor })).status).toBe(404);
    const page = await w.call(history.GET, { params: task, query: { label: "production" }, as: editor });
    expect(page.json.items[0]).toMatchObject({ action: "protected" });
  });
});
