// Feedback written in batches, on both databases: concurrent submissions share a write transaction
// (counted by the writer: one per batch, one per row after a fallback), each answered after its row is
// committed; idempotency keys replayed within a batch and against earlier rows count once; two writers
// (two processes' database handles) racing on one key store it once; a row that fails on its own fails
// only its own submission.
import { beforeEach, describe, expect, it } from "vitest";
import { type FeedbackTarget, findExposureTarget, type NewFeedback, openDb, recordExposure } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { seedExperimentWorld, startedExperiment } from "../experiments/testing";
import { FeedbackWriter, feedbackBatchSettings } from "./batcher";

const feedback = (key: string | null = null): NewFeedback => ({
  name: "thumbs_up",
  value: 1,
  category: null,
  comment: null,
  correction: null,
  source: "user",
  idempotencyKey: key,
  actorLabel: "test",
});

describe("feedback batch settings", () => {
  it("default to a 5 ms window and 100 rows, tunable, 0 ms: no batching", () => {
    expect(feedbackBatchSettings({})).toEqual({ windowMs: 5, maxRows: 100 });
    expect(feedbackBatchSettings({ STROP_FEEDBACK_BATCH_MS: "0", STROP_FEEDBACK_BATCH_ROWS: "20" })).toEqual({
      windowMs: 0,
      maxRows: 20,
    });
    expect(feedbackBatchSettings({ STROP_FEEDBACK_BATCH_MS: "-1", STROP_FEEDBACK_BATCH_ROWS: "x" })).toEqual({
      windowMs: 5,
      maxRows: 100,
    });
  });
});

describe.each(TEST_PROVIDERS)("feedback written in batches on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });
  let target: FeedbackTarget;

  beforeEach(async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const experimentId = await startedExperiment(fixture.db, access);
    const variant = await fixture.db.experimentVariant.findFirstOrThrow({ where: { experimentId } });
    const exposure = await recordExposure(fixture.db, experimentId, "subject-1", variant.id);
    target = (await findExposureTarget(fixture.db, exposure.id)) as FeedbackTarget;
  });

  it("writes concurrent submissions in a few transactions instead of one each", async () => {
    const batched = new FeedbackWriter(fixture.db, { windowMs: 20, maxRows: 100 });
    const answers = await Promise.all(Array.from({ length: 60 }, () => batched.write(target, feedback())));
    expect(new Set(answers.map((a) => a.feedback.id)).size).toBe(60);
    expect(answers.every((a) => !a.replayed)).toBe(true);
    // Answered after the commit: every row acknowledged is there.
    expect(await fixture.db.feedback.count()).toBe(60);
    expect(batched.stats.submissions).toBe(60);
    expect(batched.stats.transactions).toBe(batched.stats.batches);
    expect(batched.stats.transactions).toBeLessThanOrEqual(3);

    const single = new FeedbackWriter(fixture.db, { windowMs: 0, maxRows: 100 });
    await Promise.all(Array.from({ length: 60 }, () => single.write(target, feedback())));
    expect(single.stats.transactions).toBe(60);
    expect(await fixture.db.feedback.count()).toBe(120);
  });

  it("writes a batch at once when it reaches maxRows", async () => {
    const writer = new FeedbackWriter(fixture.db, { windowMs: 60_000, maxRows: 10 });
    const answers = await Promise.all(Array.from({ length: 30 }, () => writer.write(target, feedback())));
    expect(answers).toHaveLength(30);
    expect(writer.stats).toEqual({ transactions: 3, batches: 3, submissions: 30 });
  });

  it("counts a key once, replayed within the batch or against an earlier row", async () => {
    const writer = new FeedbackWriter(fixture.db, { windowMs: 20, maxRows: 100 });
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => writer.write(target, feedback("k-1"))),
      ...Array.from({ length: 5 }, () => writer.write(target, feedback())),
    ]);
    const keyed = answers.slice(0, 10);
    expect(new Set(keyed.map((a) => a.feedback.id)).size).toBe(1);
    expect(keyed.map((a) => a.replayed)).toEqual([false, ...Array(9).fill(true)]);
    const later = await writer.write(target, { ...feedback("k-1"), value: 0 });
    expect(later).toMatchObject({ replayed: true, feedback: { id: keyed[0]?.feedback.id, value: 1 } });
    expect(await fixture.db.feedback.count({ where: { idempotencyKey: "k-1" } })).toBe(1);
    expect(await fixture.db.feedback.count()).toBe(6);
  });

  it("two processes racing on one key store it once; the others in the losing batch are written", async () => {
    const other = await openDb(fixture.database.url);
    try {
      const a = new FeedbackWriter(fixture.db, { windowMs: 10, maxRows: 100 });
      const b = new FeedbackWriter(other, { windowMs: 10, maxRows: 100 });
      const rounds = await Promise.all(
        Array.from({ length: 5 }, async (_, round) => {
          const key = `race-${round}`;
          const [x, y, ...rest] = await Promise.all([
            a.write(target, feedback(key)),
            b.write(target, feedback(key)),
            ...Array.from({ length: 4 }, () => b.write(target, feedback())),
          ]);
          return { x, y, rest };
        }),
      );
      for (const { x, y, rest } of rounds) {
        expect(x?.feedback.id).toBe(y?.feedback.id);
        expect([x?.replayed, y?.replayed].filter(Boolean)).toHaveLength(1);
        expect(rest.every((r) => !r.replayed)).toBe(true);
      }
      for (let round = 0; round < 5; round++)
        expect(await fixture.db.feedback.count({ where: { idempotencyKey: `race-${round}` } })).toBe(1);
      expect(await fixture.db.feedback.count()).toBe(5 + 5 * 4);
    } finally {
      await other.$disconnect();
    }
  });

  it("a row the database refuses fails its own submission only (the batch falls back to single rows)", async () => {
    const writer = new FeedbackWriter(fixture.db, { windowMs: 20, maxRows: 100 });
    const bad = { ...target, projectId: "no-such-project" };
    const settled = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => writer.write(target, feedback())),
      writer.write(bad, feedback()),
      ...Array.from({ length: 4 }, () => writer.write(target, feedback())),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      ...Array(4).fill("fulfilled"),
      "rejected",
      ...Array(4).fill("fulfilled"),
    ]);
    expect(await fixture.db.feedback.count()).toBe(8);
    // One failed batch insert, then one insert per row.
    expect(writer.stats).toEqual({ transactions: 1 + 9, batches: 1, submissions: 9 });
  });
});
