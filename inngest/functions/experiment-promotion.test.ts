// The experiment-promotion function, run in-process by @inngest/test's engine on real SQLite: its steps,
// its flow control (one promotion per task label: the concurrency key is the event's `scope`), its
// cancel event, and a second request for the same decision that runs no step. Flow control is not
// simulated by the test engine: the registered configuration and the event data it keys on are asserted.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, getExperiment, getPromotionJob, openDb, SYSTEM_ACTOR } from "@/lib/db";
import { jobEventTypes } from "@/lib/runner/inngest-transport";
import { requestedEventData } from "@/lib/runner/job-kind";
import { changeProjectExperiment } from "@/lib/services/experiments/manage";
import { PROMOTION_STEPS, promotionStore } from "@/lib/services/experiments/promotion-job";
import { seedExperimentWorld, startedExperiment } from "@/lib/services/experiments/testing";
import { experimentPromotionJob } from "@/lib/services/jobs/experiment-promotion";
import { functions } from ".";
import { createJobFunction } from "./job-function";

let db: Db;
const client = new Inngest({ id: "strop", isDev: true });

const configOf = (fn: unknown) =>
  (fn as { getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }).getConfig({
    baseUrl: new URL("http://localhost:3000/api/inngest"),
    appPrefix: "strop",
  })[0];

/** A concluded experiment (variant 1 won) with its promotion queued; returns the event that requests it. */
async function queuedPromotion(slug: string) {
  const { access } = await seedExperimentWorld(db, { slug });
  const id = await startedExperiment(db, access);
  const winnerVariantId = (await getExperiment(db, access.project.id, id))!.variants[1]!.id;
  await changeProjectExperiment(db, access, id, "stopped", SYSTEM_ACTOR, {
    decision: "winner",
    reason: "variant 1 beats control",
    winnerVariantId,
    promote: true,
  });
  const target = await promotionStore.target(db, id);
  if (!target) throw new Error("no promotion queued");
  const data = requestedEventData(experimentPromotionJob, target);
  return { id, access, data, event: { name: "strop/experiment-promotion.requested", data } };
}

const engineFor = (event: { name: string; data: Record<string, string> }) =>
  new InngestTestEngine({
    function: createJobFunction(client, experimentPromotionJob, { db: async () => db }),
    events: [event],
  });

beforeAll(async () => {
  db = await openDb(
    `file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-inngest-promo-")), "strop.db")}`,
  );
});
afterAll(async () => {
  await db.$disconnect();
});

describe("the experiment-promotion function", () => {
  it("is served with the app's functions, one promotion per task label at a time, cancelled by its event", () => {
    expect(functions.map((f) => f.id())).toContain("experiment-promotion");
    expect(configOf(createJobFunction(client, experimentPromotionJob, { env: {} }))).toMatchObject({
      id: "strop-experiment-promotion",
      triggers: [{ event: "strop/experiment-promotion.requested" }],
      concurrency: [
        { key: "event.data.scope", limit: 1 },
        { key: "event.data.projectId", limit: 2 },
      ],
      cancel: [
        {
          event: "strop/experiment-promotion.cancel",
          if: "event.data.experimentId == async.data.experimentId",
        },
      ],
    });
    const tuned = createJobFunction(client, experimentPromotionJob, {
      env: { STROP_INNGEST_PROMOTION_PROJECT_CONCURRENCY: "5" },
    });
    expect(configOf(tuned)).toMatchObject({
      concurrency: [
        { key: "event.data.scope", limit: 1 },
        { key: "event.data.projectId", limit: 5 },
      ],
    });
  });

  it("keys its event on the task and label, and the event passes its schema", async () => {
    const { id, data } = await queuedPromotion("event");
    const job = await getPromotionJob(db, id);
    expect(data).toEqual({
      experimentId: id,
      projectId: job?.projectId,
      provider: "none",
      scope: `${job?.taskId}:production`,
    });
    const event = jobEventTypes(experimentPromotionJob).requested.create(data);
    await expect(event.validate()).resolves.not.toThrow();
  });

  it("runs check, promote and record as memoized steps; a second request runs none", async () => {
    const { id, access, event } = await queuedPromotion("steps");
    const first = await engineFor(event).execute();
    expect(first.result).toEqual({
      experimentId: id,
      status: "succeeded",
      outcome: 'label "production" moved to version 2',
    });
    expect(first.ctx.step.run.mock.calls.map((call) => call[0])).toEqual([
      PROMOTION_STEPS.check,
      PROMOTION_STEPS.promote,
      PROMOTION_STEPS.record,
    ]);
    expect((await getExperiment(db, access.project.id, id))?.promotionStatus).toBe("succeeded");
    // The same decision requested again (a replayed event): finished, so nothing runs or moves.
    const second = await engineFor(event).execute();
    expect(second.result).toEqual(first.result);
    expect(second.ctx.step.run).not.toHaveBeenCalled();
    const moved = await db.promptLabelEvent.count({
      where: { label: "production", action: "moved", task: { projectId: access.project.id } },
    });
    expect(moved).toBe(1);
  });

  it("does nothing for a promotion cancelled before it started", async () => {
    const { id, event } = await queuedPromotion("cancelled");
    await experimentPromotionJob.store.markCancelled(db, id);
    const { result, ctx } = await engineFor(event).execute();
    expect(result).toEqual({ experimentId: id, status: "cancelled", outcome: null });
    expect(ctx.step.run).not.toHaveBeenCalled();
  });
});
