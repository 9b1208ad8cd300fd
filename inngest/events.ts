// Typed Inngest events (zod): the contract between the app that queues runs and the function that runs them.
import { eventType } from "inngest";
import { z } from "zod";

export const runRequestedDataSchema = z.object({
  runId: z.string().min(1),
  /** Concurrency key: runs of one project share its slots. */
  projectId: z.string().min(1),
  /** Concurrency and throttle key: the task model's provider ("openai", "anthropic", …). */
  provider: z.string().min(1),
});

export const runCancelDataSchema = z.object({ runId: z.string().min(1) });

export type RunRequestedData = z.infer<typeof runRequestedDataSchema>;
export type RunCancelData = z.infer<typeof runCancelDataSchema>;

/** A stored, queued run should execute. */
export const runRequested = eventType("strop/run.requested", { schema: runRequestedDataSchema });

/** Cancels the run with this id (matched against the triggering event's runId). */
export const runCancel = eventType("strop/run.cancel", { schema: runCancelDataSchema });

export const batchRequestedDataSchema = z.object({
  batchId: z.string().min(1),
  /** Concurrency key: batches of one project share its slots. */
  projectId: z.string().min(1),
  /** Concurrency key: the task model's provider. */
  provider: z.string().min(1),
});

export const batchCancelDataSchema = z.object({ batchId: z.string().min(1) });

export type BatchRequestedData = z.infer<typeof batchRequestedDataSchema>;
export type BatchCancelData = z.infer<typeof batchCancelDataSchema>;

/** A stored, queued batch should execute. */
export const batchRequested = eventType("strop/batch.requested", { schema: batchRequestedDataSchema });

/** Cancels the batch with this id (matched against the triggering event's batchId). */
export const batchCancel = eventType("strop/batch.cancel", { schema: batchCancelDataSchema });
