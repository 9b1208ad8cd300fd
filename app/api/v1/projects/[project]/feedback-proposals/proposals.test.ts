// Feedback proposals and alert settings through their routes on both databases: who may read, check,
// start and dismiss; 409 once a proposal is decided and while there is no correction; a start records
// its run; every decision and settings change is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { embeddedRunner } from "@/lib/runner/runner-choice";
import { generationWithCorrection, judge, thumbs } from "@/lib/services/feedback-proposals/testing";
import { pointLabel, seedTask, seedVersion } from "../../../testing/serving-fixtures";
import * as alert from "../feedback-alert/route";
import * as dismiss from "./[proposal]/dismiss/route";
import * as start from "./[proposal]/start/route";
import * as check from "./check/route";
import * as list from "./route";

describe.each(TEST_PROVIDERS)("feedback proposals API on %s", (provider) => {
  let w: ApiWorld;
  let ids: { projectId: string; taskId: string; versionId: string };
  const project = { project: "alpha" };
  const viewer = () => ({ bearer: w.keys.alphaViewer });
  const editor = () => ({ bearer: w.keys.alphaEditor });
  const admin = () => ({ bearer: w.keys.alphaAdmin });
  const proposals = async (query: Record<string, string> = {}) =>
    (await w.call(list.GET, { params: project, as: viewer(), query })).json.items;
  const act = (route: typeof start, proposal: string, as = editor()) =>
    w.call(route.POST, { params: { ...project, proposal }, as, body: {} });

  beforeAll(async () => {
    w = await createApiWorld(provider);
    const projectId = w.projects.alpha.id;
    const taskId = await seedTask(w.db, projectId, "support");
    const versionId = await seedVersion(w.db, taskId, { output: "Answer: {{ticket}}" });
    await pointLabel(w.db, projectId, taskId, "production", versionId);
    ids = { projectId, taskId, versionId };
    await judge(w.db, { projectId, versionId, values: thumbs(60, 40) });
    await judge(w.db, { projectId, versionId, name: "helpful", values: thumbs(10, 30) });
  });
  afterAll(async () => {
    await embeddedRunner().idle();
    await w?.close();
  });

  it("settings: members read the defaults, admins change them (audited), bad input names the field", async () => {
    const read = await w.call(alert.GET, { params: project, as: viewer() });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ enabled: true, rate: 0.3, minimumJudgments: 30, isDefault: true });
    expect((await w.call(alert.PUT, { params: project, as: editor(), body: { rate: 0.35 } })).status).toBe(
      403,
    );
    const bad = await w.call(alert.PUT, { params: project, as: admin(), body: { rate: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0].path).toBe("rate");
    const set = await w.call(alert.PUT, {
      params: project,
      as: admin(),
      body: { rate: 0.35, windowDays: 14 },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ rate: 0.35, windowDays: 14, minimumJudgments: 30, isDefault: false });
    const audit = await w.db.auditLog.findMany({
      where: { projectId: ids.projectId, action: "project.feedback_alert_set" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after).toMatchObject({ rate: 0.35, windowDays: 14 });
  });

  it("check now: admins only; opens one proposal per version and name over the threshold", async () => {
    expect((await w.call(check.POST, { params: project, as: editor() })).status).toBe(403);
    const res = await w.call(check.POST, { params: project, as: admin() });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ opened: 2, refreshed: 0 });
    expect((await w.call(check.POST, { params: project, as: admin() })).json).toEqual({
      opened: 0,
      refreshed: 2,
    });
    const open = await proposals({ task: "support" });
    expect(open.map((p: { feedbackName: string; rate: number }) => [p.feedbackName, p.rate]).sort()).toEqual([
      ["helpful", 0.75],
      ["thumbs_up", 0.4],
    ]);
    expect((await w.call(list.GET, { params: project, as: viewer(), query: { task: "nope" } })).status).toBe(
      404,
    );
  });

  it("start: viewers refused, 409 without corrections (the proposal stays open), then a run", async () => {
    const proposal = (await proposals()).find(
      (p: { feedbackName: string }) => p.feedbackName === "thumbs_up",
    );
    expect((await act(start, proposal.id, viewer())).status).toBe(403);
    const early = await act(start, proposal.id);
    expect(early.status).toBe(409);
    expect(early.json.error.details.generationsPath).toBe(
      "/projects/alpha/prompts/support/generations?version=1&feedback=negative",
    );
    expect((await proposals()).find((p: { id: string }) => p.id === proposal.id)).toMatchObject({
      status: "open",
      corrections: 0,
    });
    await generationWithCorrection(w.db, ids, "My order is late", "Sorry: it ships tomorrow.");
    await generationWithCorrection(w.db, ids, "Refund please", "Your refund is on its way.");
    const started = await act(start, proposal.id);
    expect(started.status, started.text).toBe(202);
    expect(started.json).toMatchObject({
      promptVersion: 1,
      proposal: { id: proposal.id, status: "started", runId: started.json.runId, corrections: 2 },
    });
    const run = await w.db.optimizationRun.findUniqueOrThrow({ where: { id: started.json.runId } });
    expect(run.projectId).toBe(ids.projectId);
    expect(
      await w.db.auditLog.count({ where: { action: "feedback.proposal_started", targetId: proposal.id } }),
    ).toBe(1);
    expect((await act(start, proposal.id)).status).toBe(409);
    expect((await act(dismiss, proposal.id)).status).toBe(409);
    expect((await proposals({ status: "started" })).map((p: { id: string }) => p.id)).toEqual([proposal.id]);
  });

  it("dismiss: editors, once (409 after), audited; unknown ids are 404", async () => {
    const proposal = (await proposals()).find((p: { feedbackName: string }) => p.feedbackName === "helpful");
    expect((await act(dismiss, proposal.id, viewer())).status).toBe(403);
    const res = await act(dismiss, proposal.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: "dismissed", decidedBy: expect.any(String) });
    expect((await act(dismiss, proposal.id)).status).toBe(409);
    expect((await act(start, proposal.id)).status).toBe(409);
    expect(
      await w.db.auditLog.count({ where: { action: "feedback.proposal_dismissed", targetId: proposal.id } }),
    ).toBe(1);
    expect((await act(dismiss, "missing")).status).toBe(404);
    expect(await proposals()).toEqual([]);
  });
});
