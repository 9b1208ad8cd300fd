// The experiment-analysis function and its schedule, run in-process by @inngest/test's engine on real
// SQLite (flow control and cron are not simulated: the registered configuration is asserted).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, getExperiment, openDb, queueAnalysis } from "@/lib/db";
import type { JobTarget } from "@/lib/runner/job-kind";
import { embeddedRunner } from "@/lib/runner/runner-choice";
import { scheduleCron } from "@/lib/runner/schedule";
import { ANALYSIS_STEPS } from "@/lib/services/experiments/analysis-job";
import {
  exposeWithFeedback,
  seedExperimentWorld,
  startedExperiment,
} from "@/lib/services/experiments/testing";
import { experimentAnalysisJob } from "@/lib/services/jobs/experiment-analysis";
import { experimentAnalysisSchedule } from "@/lib/services/schedules/experiment-analysis";
import { functions } from ".";
import { createJobFunction } from "./job-function";
import { createScheduleFunction } from "./schedule-function";

// The analysis schedule as the app derives it (lib/services/schedules).
const analysisCron = (env: Record<string, string | undefined>) =>
  scheduleCron(experimentAnalysisSchedule, env);
const createExperimentAnalysisSchedule = (
  inngest: Inngest,
  options: Parameters<typeof createScheduleFunction>[2],
) => createScheduleFunction(inngest, experimentAnalysisSchedule, options);
const QUEUE_STEP = experimentAnalysisSchedule.stepId;

let db: Db;
let projectId: string;
const client = new Inngest({ id: "strop", isDev: true });

const configOf = (fn: unknown) =>
  (fn as { getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }).getConfig({
    baseUrl: new URL("http://localhost:3000/api/inngest"),
    appPrefix: "strop",
  })[0];

const analysisEngine = (analysisId: string) =>
  new InngestTestEngine({
    function: createJobFunction(client, experimentAnalysisJob, { db: async () => db }),
    events: [
      { name: "strop/experiment-analysis.requested", data: { analysisId, projectId, provider: "none" } },
    ],
  });

beforeAll(async () => {
  db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-inngest-exp-")), "strop.db")}`);
  projectId = (await seedExperimentWorld(db)).access.project.id;
});
afterAll(async () => {
  await db.$disconnect();
});

describe("the experiment-analysis function", () => {
  it("is registered with the app's functions, with its flow control and cancel event", () => {
    const ids = functions.map((f) => f.id());
    expect(ids).toEqual(expect.arrayContaining(["experiment-analysis", "experiment-analysis-schedule"]));
    expect(configOf(createJobFunction(client, experimentAnalysisJob, { env: {} }))).toMatchObject({
      id: "strop-experiment-analysis",
      triggers: [{ event: "strop/experiment-analysis.requested" }],
      concurrency: [{ key: "event.data.projectId", limit: 2 }],
      cancel: [
        {
          event: "strop/experiment-analysis.cancel",
          if: "event.data.analysisId == async.data.analysisId",
        },
      ],
    });
    const tuned = createJobFunction(client, experimentAnalysisJob, {
      env: { STROP_INNGEST_ANALYSIS_PROJECT_CONCURRENCY: "5" },
    });
    expect(configOf(tuned)).toMatchObject({ concurrency: [{ key: "event.data.projectId", limit: 5 }] });
  });

  it("runs analyze, stop and the promotion's hand-over as memoized steps, with a small result", async () => {
    const access = (await seedExperimentWorld(db, { slug: "steps" })).access;
    const id = await startedExperiment(db, access);
    const record = (await getExperiment(db, access.project.id, id))!;
    await exposeWithFeedback(db, id, record.variants[0]!.id, 150, 0.3, "c");
    await exposeWithFeedback(db, id, record.variants[1]!.id, 150, 0.7, "t");
    const { id: analysisId } = await queueAnalysis(db, id, "schedule");
    const { result, ctx } = await analysisEngine(analysisId).execute();
    expect(result).toEqual({ analysisId, status: "succeeded", decision: "winner" });
    expect(ctx.step.run.mock.calls.map((call) => call[0])).toEqual([
      ANALYSIS_STEPS.analyze,
      ANALYSIS_STEPS.stop,
      ANALYSIS_STEPS.promote,
    ]);
    // The promotion is a job of its own, handed to the active runner (the embedded one here).
    await embeddedRunner().idle();
    expect(await getExperiment(db, access.project.id, id)).toMatchObject({
      promotion: 'label "production" moved to version 2',
      promotionStatus: "succeeded",
    });
  });

  it("does nothing for an analysis cancelled before it started", async () => {
    const access = (await seedExperimentWorld(db, { slug: "cancelled" })).access;
    const id = await startedExperiment(db, access);
    const { id: analysisId } = await queueAnalysis(db, id, "manual");
    await experimentAnalysisJob.store.markCancelled(db, analysisId);
    const { result, ctx } = await analysisEngine(analysisId).execute();
    expect(result).toEqual({ analysisId, status: "cancelled", decision: null });
    expect(ctx.step.run).not.toHaveBeenCalled();
  });
});

describe("the experiment-analysis schedule", () => {
  it("is a cron every STROP_EXPERIMENT_ANALYSIS_MINUTES (default 15), one tick at a time", () => {
    expect(analysisCron({})).toBe("*/15 * * * *");
    expect(analysisCron({ STROP_EXPERIMENT_ANALYSIS_MINUTES: "5" })).toBe("*/5 * * * *");
    expect(analysisCron({ STROP_EXPERIMENT_ANALYSIS_MINUTES: "0" })).toBe("*/15 * * * *");
    const fn = createExperimentAnalysisSchedule(client, { env: { STROP_EXPERIMENT_ANALYSIS_MINUTES: "5" } });
    expect(configOf(fn)).toMatchObject({
      id: "strop-experiment-analysis-schedule",
      triggers: [{ cron: "*/5 * * * *" }],
      concurrency: [{ limit: 1 }],
    });
  });

  it("queues one analysis per running experiment that is due, in one step", async () => {
    const access = (await seedExperimentWorld(db, { slug: "schedule" })).access;
    await startedExperiment(db, access);
    const dispatched: JobTarget[] = [];
    const fn = createExperimentAnalysisSchedule(client, {
      db: async () => db,
      env: {},
      dispatch: async (target) => {
        dispatched.push(target);
      },
    });
    const run = () =>
      new InngestTestEngine({
        function: fn,
        events: [{ name: "inngest/scheduled.timer", data: {} }],
      }).execute();
    const first = await run();
    expect(first.error).toBeUndefined();
    expect(first.ctx.step.run.mock.calls.map((call) => call[0])).toEqual([QUEUE_STEP]);
    // Due: only this experiment (the others were analyzed within the interval, or stopped).
    expect(first.result).toEqual({ queued: 1 });
    expect(dispatched).toEqual([expect.objectContaining({ projectId: access.project.id, provider: "none" })]);
    // An analysis in flight (or a recent one) makes the experiment not due.
    expect((await run()).result).toEqual({ queued: 0 });
  });
});
