// Every registered schedule is an Inngest cron function derived from its definition, served with the
// app's functions; the negative-feedback check runs as one memoized step in @inngest/test's engine on
// real SQLite (cron itself is not simulated: the registered configuration is asserted).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "@/lib/db";
import { seedExperimentWorld } from "@/lib/services/experiments/testing";
import { judge, thumbs } from "@/lib/services/feedback-proposals/testing";
import { feedbackProposalSchedule } from "@/lib/services/schedules/feedback-proposals";
import { schedules } from "@/lib/services/schedules/registry";
import { functions } from ".";
import { createScheduleFunction } from "./schedule-function";

let db: Db;
const client = new Inngest({ id: "strop", isDev: true });

const configOf = (fn: unknown) =>
  (fn as { getConfig(o: { baseUrl: URL; appPrefix: string }): Record<string, unknown>[] }).getConfig({
    baseUrl: new URL("http://localhost:3000/api/inngest"),
    appPrefix: "strop",
  })[0];

beforeAll(async () => {
  db = await openDb(
    `file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-inngest-sched-")), "strop.db")}`,
  );
});
afterAll(async () => {
  await db.$disconnect();
});

describe("schedules on Inngest", () => {
  it("serves one cron function per registered schedule", () => {
    const ids = functions.map((f) => f.id());
    expect(schedules.map((s) => s.id)).toEqual(["experiment-analysis-schedule", "feedback-proposals"]);
    expect(ids).toEqual(expect.arrayContaining(schedules.map((s) => s.id)));
  });

  it("the negative-feedback check: hourly by default, STROP_FEEDBACK_CHECK_MINUTES tunes it", () => {
    expect(configOf(createScheduleFunction(client, feedbackProposalSchedule, { env: {} }))).toMatchObject({
      id: "strop-feedback-proposals",
      name: "Negative-feedback check",
      triggers: [{ cron: "0 */1 * * *" }],
      concurrency: [{ limit: 1 }],
    });
    const tuned = createScheduleFunction(client, feedbackProposalSchedule, {
      env: { STROP_FEEDBACK_CHECK_MINUTES: "20" },
    });
    expect(configOf(tuned)).toMatchObject({ triggers: [{ cron: "*/20 * * * *" }] });
  });

  it("runs the check as one step and returns its summary; a second tick opens nothing", async () => {
    const { access, versionIds } = await seedExperimentWorld(db, { slug: "inngest-check" });
    await judge(db, { projectId: access.project.id, versionId: versionIds[0]!, values: thumbs(10, 30) });
    const fn = createScheduleFunction(client, feedbackProposalSchedule, { db: async () => db, env: {} });
    const tick = () =>
      new InngestTestEngine({
        function: fn,
        events: [{ name: "inngest/scheduled.timer", data: {} }],
      }).execute();
    const first = await tick();
    expect(first.error).toBeUndefined();
    expect(first.ctx.step.run.mock.calls.map((call) => call[0])).toEqual(["check-projects"]);
    expect(first.result).toEqual({ projects: 1, opened: 1, refreshed: 0 });
    expect((await tick()).result).toEqual({ projects: 1, opened: 0, refreshed: 1 });
    expect(await db.feedbackProposal.count({ where: { projectId: access.project.id, status: "open" } })).toBe(
      1,
    );
  });
});
