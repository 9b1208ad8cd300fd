// CUPED on live experiments, on both databases: the aggregate query's sums checked by hand (the window,
// "skip" and "zero", feedback during the experiment never counted as pre-period), and the analysis job
// with subjects whose feedback before the start predicts their feedback in the experiment — narrower
// intervals than the plain analysis of the same data, the estimate still near the truth — and the plain
// analysis, saying why, when there is no pre-period data.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { normalDraw } from "@/lib/core/experiments/distributions";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import { createRandom } from "@/lib/core/random";
import { type ExperimentRecord, getExperiment, listAnalyses, prePeriodSums, queueAnalysis } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { embeddedRunner } from "@/lib/runner";
import type { CreateExperimentInput } from "@/lib/validation/experiments";
import { setActiveExperimentCache } from "./active-cache";
import { executeExperimentAnalysis } from "./analysis-job";
import { CUPED_WINDOW_DAYS } from "./cuped";
import { seedExperimentWorld, startedExperiment } from "./testing";

const DAY = 86_400_000;

const RATING: Partial<CreateExperimentInput> = {
  name: "Rating",
  metric: { source: "feedback", name: "rating", kind: "mean", better: "higher", missing: "skip" },
  baseline: 3,
  minimumDetectableEffect: 0.3,
  standardDeviation: 1,
};

/** A subject of the test: its variant, its feedback before the start and during the experiment. */
interface Subject {
  id: string;
  variant: number;
  /** Feedback values on generations `daysBefore` the start (null: a generation without feedback). */
  before?: { daysBefore: number; value: number | null }[];
  /** Feedback values in the experiment (on the exposure). */
  during?: number[];
}

describe.each(TEST_PROVIDERS)("CUPED on live experiments on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  beforeEach(() => setActiveExperimentCache());
  afterEach(async () => {
    setActiveExperimentCache();
    // A conclusive analysis hands a promotion to the embedded runner: let it finish before the drop.
    await embeddedRunner().idle();
  });

  /** Writes the subjects' generations, exposures and feedback as serving and feedback would store them. */
  async function seedSubjects(record: ExperimentRecord, subjects: Subject[]) {
    const start = (record.startedAt as Date).getTime();
    const { projectId, taskId } = record;
    const versionOf = (variant: number) => record.variants[variant]?.versionId as string;
    const generation = (
      id: string,
      subjectId: string,
      variant: number,
      createdAt: Date,
      exposureId?: string,
    ) => ({
      id,
      projectId,
      taskId,
      versionId: versionOf(variant),
      label: "production",
      model: "sim:default",
      variables: {},
      output: "ok",
      subjectId,
      exposureId: exposureId ?? null,
      createdAt,
    });
    const feedback = (
      value: number,
      target: { generationId?: string; exposureId?: string },
      variant: number,
    ) => ({
      projectId,
      name: "rating",
      value,
      source: "user",
      actorLabel: "test",
      versionId: versionOf(variant),
      ...target,
      ...(target.exposureId ? { experimentId: record.id } : {}),
    });
    const generations = [];
    const feedbacks = [];
    for (const s of subjects) {
      for (const [k, b] of (s.before ?? []).entries()) {
        const id = `pre-${s.id}-${k}`;
        generations.push(generation(id, s.id, 0, new Date(start - b.daysBefore * DAY)));
        if (b.value !== null) feedbacks.push(feedback(b.value, { generationId: id }, 0));
      }
    }
    await fixture.db.exposure.createMany({
      data: subjects.map((s) => ({
        id: `exp-${s.id}`,
        experimentId: record.id,
        variantId: record.variants[s.variant]?.id as string,
        subjectId: s.id,
      })),
    });
    for (const s of subjects) {
      // During the experiment: the subject's generation (its subject recorded too) and its feedback.
      const id = `in-${s.id}`;
      generations.push(generation(id, s.id, s.variant, new Date(start + 60_000), `exp-${s.id}`));
      for (const value of s.during ?? [])
        feedbacks.push(feedback(value, { generationId: id, exposureId: `exp-${s.id}` }, s.variant));
    }
    await fixture.db.generation.createMany({ data: generations });
    await fixture.db.feedback.createMany({ data: feedbacks });
  }

  async function analyze(experimentId: string) {
    const { id } = await queueAnalysis(fixture.db, experimentId, "manual");
    const outcome = await executeExperimentAnalysis(fixture.db, id, createMemoryStepRunner());
    expect(outcome.status).toBe("succeeded");
    const analyses = await listAnalyses(fixture.db, experimentId);
    return analyses.find((a) => a.id === id)!;
  }

  it("sums y, x, x², x·y per variant over the window, for skip and zero", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access, RATING);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await seedSubjects(record, [
      // Two pre-period ratings (mean 3) and one in the experiment.
      {
        id: "a",
        variant: 0,
        before: [
          { daysBefore: 2, value: 2 },
          { daysBefore: 5, value: 4 },
        ],
        during: [5],
      },
      // A pre-period generation without a rating, none in the experiment.
      { id: "b", variant: 0, before: [{ daysBefore: 1, value: null }] },
      // A rating before the window only.
      { id: "c", variant: 1, before: [{ daysBefore: CUPED_WINDOW_DAYS + 12, value: 1 }], during: [2] },
      // Its in-experiment rating 5 is y, never x.
      { id: "d", variant: 1, before: [{ daysBefore: 27, value: 6 }], during: [3, 5] },
      { id: "e", variant: 1, during: [7] },
      { id: "f", variant: 1 },
    ]);
    const start = record.startedAt as Date;
    const query = {
      experimentId: id,
      taskId: record.taskId,
      name: "rating",
      from: new Date(start.getTime() - CUPED_WINDOW_DAYS * DAY),
      to: start,
    };
    const [control, treatment] = record.variants.map((v) => v.id);
    const skip = await prePeriodSums(fixture.db, { ...query, missing: "skip" });
    const dCovered = { n: 1, sum: 4, covariateSum: 6, covariateSquares: 36, productSum: 24 };
    expect(skip.get(control!)).toEqual({
      n: 1,
      sum: 5,
      sumSquares: 25,
      covered: { n: 1, sum: 5, covariateSum: 3, covariateSquares: 9, productSum: 15 },
    });
    expect(skip.get(treatment!)).toEqual({ n: 3, sum: 13, sumSquares: 69, covered: dCovered });
    const zero = await prePeriodSums(fixture.db, { ...query, missing: "zero" });
    // b counts as y = 0 with x = 0 (a generation in the window, no rating); f as y = 0 without x.
    expect(zero.get(control!)).toEqual({
      n: 2,
      sum: 5,
      sumSquares: 25,
      covered: { n: 2, sum: 5, covariateSum: 3, covariateSquares: 9, productSum: 15 },
    });
    expect(zero.get(treatment!)).toEqual({ n: 4, sum: 13, sumSquares: 69, covered: dCovered });
    // A range leaves out the values outside it, in the experiment and in the window: ratings 1–4 keep
    // a's 2 (x) but not its 4 or its 5 (y: a is unmeasured), d's 3 (y) but not its 5 or 6.
    const ranged = await prePeriodSums(fixture.db, { ...query, missing: "skip", range: { min: 1, max: 4 } });
    expect(ranged.get(control!)).toBeUndefined();
    expect(ranged.get(treatment!)).toEqual({
      n: 2,
      sum: 5,
      sumSquares: 13,
      covered: { n: 0, sum: 0, covariateSum: 0, covariateSquares: 0, productSum: 0 },
    });
  });

  it("narrows the live analysis's intervals with pre-period feedback and keeps the estimate", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access, RATING);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    const random = createRandom("live-cuped");
    const effect = 0.3;
    const subjects: Subject[] = [];
    for (let i = 0; i < 300; i++) {
      const variant = i % 2;
      const habit = 3 + normalDraw(random);
      // A fifth of the subjects are new: no generation before the start.
      const before =
        i % 5 === 4 ? [] : [{ daysBefore: 1 + (i % 20), value: habit + 0.3 * normalDraw(random) }];
      subjects.push({
        id: `s${i}`,
        variant,
        before,
        during: [habit + variant * effect + 0.3 * normalDraw(random)],
      });
    }
    await seedSubjects(record, subjects);
    const cuped = await analyze(id);
    expect(cuped.cuped).toMatchObject({ applied: true, subjects: 300, withPreValue: 240, windowDays: 28 });
    expect(cuped.cuped?.reason).toBe(
      "240 of 300 subjects had a value of rating in the 28 days before the start",
    );
    expect(cuped.cuped?.theta).toBeGreaterThan(0.7);
    expect(cuped.cuped?.varianceReduction).toBeGreaterThan(0.5);

    // The same experiment without pre-period data: its pre-period generations moved out of the window.
    await fixture.db.generation.updateMany({
      where: { id: { startsWith: "pre-" } },
      data: { createdAt: new Date((record.startedAt as Date).getTime() - 60 * DAY) },
    });
    const plain = await analyze(id);
    expect(plain.cuped).toMatchObject({
      applied: false,
      withPreValue: 0,
      theta: null,
      varianceReduction: null,
    });
    const width = (a: typeof plain) => {
      const [low, high] = a.variants[1]?.difference?.interval ?? [null, null];
      return (high ?? Number.POSITIVE_INFINITY) - (low ?? Number.NEGATIVE_INFINITY);
    };
    expect(width(cuped)).toBeLessThan(0.7 * width(plain));
    // The narrowing the snapshot reports is the one measured on the difference's interval (±5 points).
    expect(Math.abs(1 - width(cuped) / width(plain) - (cuped.cuped?.intervalNarrowing ?? 0))).toBeLessThan(
      0.05,
    );
    // The estimate stays near the truth: inside CUPED's always-valid interval (as in the plain one's).
    for (const analysis of [cuped, plain]) {
      const [low, high] = analysis.variants[1]?.difference?.interval ?? [null, null];
      expect(low).toBeLessThan(effect);
      expect(high).toBeGreaterThan(effect);
    }
  });

  it("without pre-period data: the plain analysis, and the snapshot says why", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access, RATING);
    const record = (await getExperiment(fixture.db, access.project.id, id))!;
    await seedSubjects(
      record,
      Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, variant: i % 2, during: [i % 2 ? 4 : 3] })),
    );
    const snapshot = await analyze(id);
    expect(snapshot.cuped).toEqual({
      applied: false,
      subjects: 40,
      withPreValue: 0,
      windowDays: 28,
      theta: null,
      varianceReduction: null,
      intervalNarrowing: null,
      reason:
        "only 0 of 40 subjects had a value of rating in the 28 days before the start; CUPED needs at least 30 and 10%",
    });
    expect(snapshot.variants.map((v) => [v.n, v.mean])).toEqual([
      [20, 3],
      [20, 4],
    ]);
  });

  it("an automatic metric is measured per generation: no CUPED", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const id = await startedExperiment(fixture.db, access, {
      metric: { source: "automatic", name: "latencyMs", better: "lower" },
      baseline: 500,
      minimumDetectableEffect: 50,
      standardDeviation: 100,
    });
    const snapshot = await analyze(id);
    expect(snapshot.cuped).toMatchObject({
      applied: false,
      reason: "latencyMs is measured on each generation, not once per subject",
    });
  });
});
