// A batch at its documented maximum (1,000,000 rows) fits one Inngest function run: at most 900 steps
// (Inngest allows 1,000), every step returns the same few counts (Inngest allows 4 MB per step and 32 MB
// of state). The handler of the batch kind's Inngest function runs the way Inngest drives it — one new
// step per invocation, the earlier ones replayed from their stored results (@inngest/test's engine does
// the same but takes minutes for 900 steps) — with the real step plan and step loop; only the chunk body
// is a stub returning the largest counts a chunk can return (a million real calls would take hours). A
// larger batch is refused before it starts, naming the limit, on the Inngest runner only.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NonRetriableError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleJobRequested, LIMITS_STEP } from "@/inngest/functions/job-function";
import type { InngestStepTools } from "@/inngest/step-runner";
import { InputError } from "@/lib/core/errors";
import { type Db, getBatchRecord, openDb } from "@/lib/db";
import { MAX_CHUNK_SIZE } from "@/lib/validation/batches";
import { type BatchOutcome, type ChunkCounts, runBatchSteps } from "../batch-execution";
import { batchJob } from "./batch";
import {
  MAX_BATCH_STEPS,
  MAX_INNGEST_BATCH_ROWS,
  planBatchSteps,
  stepChunks,
  withinInngestBatchLimit,
} from "./batch-plan";

const INNGEST_MAX_STEPS = 1000;
const INNGEST_MAX_STEP_BYTES = 4 * 1024 * 1024;
const INNGEST_MAX_STATE_BYTES = 32 * 1024 * 1024;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));

/** The largest counts a step can return: every number as long as its JSON form gets. */
const largestCounts = (rows: number): ChunkCounts => ({
  done: rows,
  failed: rows,
  calls: rows,
  cacheHits: rows,
  inputTokens: Number.MAX_SAFE_INTEGER,
  outputTokens: Number.MAX_SAFE_INTEGER,
  // The longest JSON a double takes (24 characters).
  costUsd: -2.2250738585072014e-308,
  rows,
});

/**
 * Drives an Inngest handler as the Inngest server does: each invocation replays the steps that have a
 * stored result and runs the first one that has none, then ends (its later steps never resolve); the
 * run is over when the handler returns. Step results are stored as JSON, as Inngest stores them.
 */
async function asInngestDrivesIt(handler: (step: InngestStepTools) => Promise<unknown>) {
  const stored = new Map<string, unknown>();
  const never = new Promise<never>(() => {});
  for (;;) {
    let ranOne = false;
    let stepRan!: () => void;
    const ran = new Promise<null>((resolve) => {
      stepRan = () => resolve(null);
    });
    const step: InngestStepTools = {
      async run(id, fn) {
        if (stored.has(id)) return stored.get(id);
        if (ranOne) return never;
        ranOne = true;
        stored.set(id, JSON.parse(JSON.stringify((await fn()) ?? null)));
        stepRan();
        return never;
      },
      sleep: async () => never,
    };
    const ended = await Promise.race([handler(step).then((result) => ({ result })), ran]);
    if (ended) return { result: ended.result, stored };
  }
}

describe("the batch step plan", () => {
  it("covers every chunk once, in order, in at most MAX_BATCH_STEPS steps, for every chunk size", () => {
    for (const chunkSize of [1, 7, 100, MAX_CHUNK_SIZE])
      for (const rows of [1, 99, 90_000, 90_001, 123_457, MAX_INNGEST_BATCH_ROWS]) {
        const plan = planBatchSteps(rows, chunkSize);
        expect(plan.steps).toBeLessThanOrEqual(MAX_BATCH_STEPS);
        let next = 0;
        for (let step = 0; step < plan.steps; step++) {
          const { first, last } = stepChunks(plan, step);
          expect(first).toBe(next);
          expect(last).toBeGreaterThanOrEqual(first);
          next = last + 1;
        }
        expect(next * chunkSize).toBeGreaterThanOrEqual(rows);
        expect((next - 1) * chunkSize).toBeLessThan(rows);
      }
    // Up to MAX_BATCH_STEPS chunks, a step is a chunk (the ids batches have always had).
    expect(planBatchSteps(90_000, 100)).toEqual({
      chunkSize: 100,
      chunks: 900,
      chunksPerStep: 1,
      steps: 900,
    });
  });
});

describe("a 1,000,000-row batch as one Inngest function run", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-limits-")), "strop.db")}`);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it.each([1, 100])(
    "chunkSize %i: under 1,000 steps, 4 MB per step and 32 MB in all",
    async (chunkSize) => {
      const plan = planBatchSteps(MAX_INNGEST_BATCH_ROWS, chunkSize);
      const rowsPerStep = plan.chunksPerStep * chunkSize;
      const outcome: BatchOutcome = {
        batchId: "b1",
        status: "succeeded",
        totalRows: MAX_INNGEST_BATCH_ROWS,
        doneRows: MAX_INNGEST_BATCH_ROWS,
        failedRows: 0,
        skippedRows: 0,
        error: null,
        failedStep: null,
      };
      // The batch kind, its stored batch replaced by the plan of a maximal one and a stub chunk body.
      const atMaximum = {
        ...batchJob,
        inngest: { ...batchJob.inngest, limitProblem: undefined },
        execute: async (_db: Db, _id: string, steps: Parameters<typeof runBatchSteps>[1]) => {
          await runBatchSteps(plan, steps, async () => largestCounts(chunkSize));
          return outcome;
        },
      };
      const event = {
        name: "strop/batch.requested",
        data: { batchId: "b1", projectId: "p".repeat(30), provider: "openai" },
      };
      const started = performance.now();
      const { result, stored } = await asInngestDrivesIt((step) =>
        handleJobRequested(atMaximum, "b1", step, db),
      );
      const returned = [...stored.values()];
      const steps = returned.length;
      const largest = Math.max(...returned.map(bytes));
      const total =
        bytes(event) + returned.reduce((sum: number, value) => sum + bytes(value), 0) + bytes(result);
      console.log(
        `[batch at ${MAX_INNGEST_BATCH_ROWS.toLocaleString("en-US")} rows, chunkSize ${chunkSize}] ` +
          `${steps} steps of ${rowsPerStep} rows (limit ${INNGEST_MAX_STEPS}, margin ${INNGEST_MAX_STEPS - steps}); ` +
          `largest step return ${largest} B (limit 4 MB, margin ${INNGEST_MAX_STEP_BYTES - largest} B); ` +
          `run state ${total} B (limit 32 MB, margin ${INNGEST_MAX_STATE_BYTES - total} B); ` +
          `${Math.round(performance.now() - started)} ms`,
      );
      expect(result).toEqual({ batchId: "b1", status: "succeeded", doneRows: 1_000_000, failedRows: 0 });
      expect(steps).toBe(plan.steps);
      expect(steps).toBeLessThan(INNGEST_MAX_STEPS);
      expect(largest).toBeLessThan(INNGEST_MAX_STEP_BYTES);
      expect(total).toBeLessThan(INNGEST_MAX_STATE_BYTES);
      // Every row is in exactly one step.
      expect(returned.reduce((sum: number, value) => sum + (value as ChunkCounts).rows, 0)).toBe(
        plan.chunks * chunkSize,
      );
    },
    30_000,
  );

  it("refuses a larger batch before it starts, naming the limit (on Inngest only)", async () => {
    // The rows of a file or dataset as they stream in: the last few before the limit, and past it.
    async function* rows(last: number) {
      yield { rowNumber: null }; // a skipped malformed row of the file as a whole
      for (let n = MAX_INNGEST_BATCH_ROWS - 2; n <= last; n++) yield { rowNumber: n };
    }
    const drain = async (items: AsyncIterable<unknown>) => {
      let seen = 0;
      for await (const _ of items) seen++;
      return seen;
    };
    expect(await drain(withinInngestBatchLimit(rows(MAX_INNGEST_BATCH_ROWS), "inngest"))).toBe(4);
    const refused = await drain(withinInngestBatchLimit(rows(MAX_INNGEST_BATCH_ROWS + 1), "inngest")).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toBe(
      "the batch has more than 1,000,000 rows: the Inngest runner takes at most that many per batch " +
        "(Inngest allows 1,000 steps per function run); split the input, or use the embedded runner",
    );
    expect(await drain(withinInngestBatchLimit(rows(MAX_INNGEST_BATCH_ROWS + 1), "embedded"))).toBe(5);
  });

  it("a stored batch past the limit (stored for the embedded runner) fails on Inngest before its first chunk", async () => {
    const { queueEchoBatch } = await import("@/lib/runner/testing/job-fixtures");
    const { id } = await queueEchoBatch(db, { rows: 3, chunkSize: 1 });
    await db.batchJob.update({ where: { id }, data: { lastRowNumber: MAX_INNGEST_BATCH_ROWS + 1 } });
    const ran: string[] = [];
    const step = {
      run: async (stepId: string, fn: () => Promise<unknown>) => {
        ran.push(stepId);
        return fn();
      },
      sleep: async () => {},
    };
    const failure = await handleJobRequested(batchJob, id, step, db).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NonRetriableError);
    expect((failure as Error).message).toContain(
      `batch ${id} cannot run on Inngest: the batch has more than`,
    );
    // Only the engine's check ran: no chunk.
    expect(ran).toEqual([LIMITS_STEP]);
    expect(await getBatchRecord(db, id)).toMatchObject({ status: "failed", doneRows: 0 });
  });
});
