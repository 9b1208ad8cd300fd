// The negative-feedback check on both databases: the rate and the minimum count, the window, what counts
// as negative, which versions are looked at, refreshing and not re-proposing decided ones, and two
// concurrent checks opening one proposal (one audit entry) per version and name.
import { describe, expect, it } from "vitest";
import { listAlertProjects, SYSTEM_ACTOR, setFeedbackAlert } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { feedbackProposalSchedule } from "@/lib/services/schedules/feedback-proposals";
import { type FeedbackAlert, feedbackAlertSchema } from "@/lib/validation/feedback-alerts";
import { seedExperimentWorld } from "../experiments/testing";
import { checkProjectFeedback } from "./check";
import { dismissProjectFeedbackProposal, listProjectFeedbackProposals } from "./manage";
import { judge, thumbs } from "./testing";

const DAY = 24 * 60 * 60 * 1000;

describe.each(TEST_PROVIDERS)("the negative-feedback check on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });

  /** A project with task "support": versions 1 (production) and 2 (no label, no traffic). */
  async function world(slug: string, settings: Partial<FeedbackAlert> = {}) {
    const { access, versionIds } = await seedExperimentWorld(fixture.db, { slug, versions: 2 });
    const alert = feedbackAlertSchema.parse(settings);
    await setFeedbackAlert(fixture.db, access.project, alert, SYSTEM_ACTOR);
    const project = {
      id: access.project.id,
      organizationId: access.project.organization.id,
      slug,
      settings: alert,
    };
    return { access, project, v1: versionIds[0]!, v2: versionIds[1]! };
  }
  const open = async (access: Awaited<ReturnType<typeof world>>["access"]) =>
    (await listProjectFeedbackProposals(fixture.db, access, { limit: 50 })).items;

  it("proposes a served version at the rate with the minimum count, and not below either", async () => {
    const w = await world("rate", { rate: 0.3, minimumJudgments: 30 });
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(21, 9) }); // 30%, 30 judgments
    await judge(fixture.db, {
      projectId: w.project.id,
      versionId: w.v1,
      name: "helpful",
      values: thumbs(22, 7),
    }); // 29
    await judge(fixture.db, {
      projectId: w.project.id,
      versionId: w.v1,
      name: "resolved",
      values: thumbs(22, 9),
    }); // 29%
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 1, refreshed: 0 });
    const proposals = await open(w.access);
    expect(proposals).toEqual([
      expect.objectContaining({
        task: "support",
        version: 1,
        feedbackName: "thumbs_up",
        negative: 9,
        total: 30,
        rate: 0.3,
        threshold: 0.3,
        status: "open",
        runId: null,
        corrections: 0,
      }),
    ]);
    const audit = await fixture.db.auditLog.findMany({
      where: { projectId: w.project.id, action: "feedback.proposal_created" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: proposals[0]!.id, actorLabel: "system" });
  });

  it("counts only the window's feedback, and only versions that still serve traffic", async () => {
    const w = await world("window", { windowDays: 7, minimumJudgments: 10 });
    const old = new Date(Date.now() - 8 * DAY);
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(0, 20), at: old });
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(15, 5) }); // 25% now
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v2, values: thumbs(0, 20) }); // no traffic
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 0, refreshed: 0 });
    // Version 2 answers a generation (an application pins ?version=2): it serves traffic now.
    const taskId = (await fixture.db.promptVersion.findUniqueOrThrow({ where: { id: w.v2 } })).taskId;
    await fixture.db.generation.create({
      data: { projectId: w.project.id, taskId, versionId: w.v2, model: "sim:default", variables: {} },
    });
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 1, refreshed: 0 });
    expect((await open(w.access)).map((p) => [p.version, p.negative, p.total])).toEqual([[2, 20, 20]]);
  });

  it("reads negativeAtMost on scores, and only the names configured", async () => {
    const w = await world("scores", { negativeAtMost: 2, minimumJudgments: 10, names: ["stars"] });
    await judge(fixture.db, {
      projectId: w.project.id,
      versionId: w.v1,
      name: "stars",
      values: [1, 2, 2, 3, 4, 5, 5, 4, 3, 5],
    });
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(0, 10) }); // not listed
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 1, refreshed: 0 });
    expect((await open(w.access)).map((p) => [p.feedbackName, p.negative, p.total])).toEqual([
      ["stars", 3, 10],
    ]);
    // With negativeAtMost 1, one score in ten is negative: under the rate. The open proposal stays
    // (a person decides), with its counts brought up to date only when it passes again.
    const strict = { ...w.project, settings: { ...w.project.settings, negativeAtMost: 1 } };
    expect(await checkProjectFeedback(fixture.db, strict)).toEqual({ opened: 0, refreshed: 0 });
  });

  it("refreshes an open proposal, and does not reopen a dismissed one within the window", async () => {
    const w = await world("decided", { minimumJudgments: 10 });
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(5, 5) });
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 1, refreshed: 0 });
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(0, 10) });
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 0, refreshed: 1 });
    const [proposal] = await open(w.access);
    expect(proposal).toMatchObject({ negative: 15, total: 20, rate: 0.75 });
    await dismissProjectFeedbackProposal(fixture.db, w.access, proposal!.id, SYSTEM_ACTOR);
    expect(await checkProjectFeedback(fixture.db, w.project)).toEqual({ opened: 0, refreshed: 0 });
    // A window after the decision, the same version can be proposed again.
    const later = Date.now() + 8 * DAY;
    await judge(fixture.db, {
      projectId: w.project.id,
      versionId: w.v1,
      values: thumbs(0, 10),
      at: new Date(later),
    });
    expect(await checkProjectFeedback(fixture.db, w.project, SYSTEM_ACTOR, later)).toEqual({
      opened: 1,
      refreshed: 0,
    });
  });

  it("opens one proposal when two checks run at once (one audit entry)", async () => {
    const w = await world("concurrent", { minimumJudgments: 10 });
    await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(2, 8) });
    await judge(fixture.db, {
      projectId: w.project.id,
      versionId: w.v1,
      name: "helpful",
      values: thumbs(2, 8),
    });
    const results = await Promise.all([
      checkProjectFeedback(fixture.db, w.project),
      checkProjectFeedback(fixture.db, w.project),
    ]);
    expect(results.reduce((sum, r) => sum + r.opened, 0)).toBe(2);
    expect(results.reduce((sum, r) => sum + r.opened + r.refreshed, 0)).toBe(4);
    expect(await fixture.db.feedbackProposal.count({ where: { projectId: w.project.id } })).toBe(2);
    expect(
      await fixture.db.auditLog.count({
        where: { projectId: w.project.id, action: "feedback.proposal_created" },
      }),
    ).toBe(2);
  });

  it("the schedule's tick walks the projects with alerts on", async () => {
    const on = await world("tick-on", { minimumJudgments: 10 });
    const off = await world("tick-off", { minimumJudgments: 10, enabled: false });
    for (const w of [on, off])
      await judge(fixture.db, { projectId: w.project.id, versionId: w.v1, values: thumbs(0, 10) });
    const slugs = (await listAlertProjects(fixture.db)).map((p) => p.slug);
    expect(slugs).toContain("tick-on");
    expect(slugs).not.toContain("tick-off");
    const summary = await feedbackProposalSchedule.tick(fixture.db, { env: {} });
    expect(summary.opened).toBeGreaterThanOrEqual(1);
    expect(await fixture.db.feedbackProposal.count({ where: { projectId: on.project.id } })).toBe(1);
    expect(await fixture.db.feedbackProposal.count({ where: { projectId: off.project.id } })).toBe(0);
    // Idempotent: the next tick opens nothing new.
    const again = await feedbackProposalSchedule.tick(fixture.db, { env: {} });
    expect(again.opened).toBe(0);
    expect(
      await fixture.db.feedbackProposal.count({ where: { projectId: on.project.id, status: "open" } }),
    ).toBe(1);
  });

  it("the default project settings are the documented defaults", async () => {
    const { access } = await seedExperimentWorld(fixture.db, { slug: "defaults" });
    const project = (await listAlertProjects(fixture.db)).find((p) => p.id === access.project.id);
    expect(project?.settings).toEqual({
      enabled: true,
      rate: 0.3,
      minimumJudgments: 30,
      negativeAtMost: 0,
      windowDays: 7,
      names: [],
    });
  });
});
