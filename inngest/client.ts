// The Inngest client. INNGEST_DEV=1 talks to a local Inngest Dev Server; in production INNGEST_EVENT_KEY
// (sending) and INNGEST_SIGNING_KEY (serving) connect it to Inngest Cloud or a self-hosted Inngest
// (INNGEST_BASE_URL).
import { Inngest } from "inngest";
import {
  type BatchCancelData,
  type BatchRequestedData,
  batchCancel,
  batchRequested,
  type RunCancelData,
  type RunRequestedData,
  runCancel,
  runRequested,
} from "./events";

export const inngest = new Inngest({ id: "strop" });

/** Sends `strop/run.requested` (validated against its schema first). */
export async function sendRunRequested(data: RunRequestedData): Promise<void> {
  const event = runRequested.create(data);
  await event.validate();
  await inngest.send(event);
}

/** Sends `strop/run.cancel` (validated against its schema first). */
export async function sendRunCancel(data: RunCancelData): Promise<void> {
  const event = runCancel.create(data);
  await event.validate();
  await inngest.send(event);
}

/** Sends `strop/batch.requested` (validated against its schema first). */
export async function sendBatchRequested(data: BatchRequestedData): Promise<void> {
  const event = batchRequested.create(data);
  await event.validate();
  await inngest.send(event);
}

/** Sends `strop/batch.cancel` (validated against its schema first). */
export async function sendBatchCancel(data: BatchCancelData): Promise<void> {
  const event = batchCancel.create(data);
  await event.validate();
  await inngest.send(event);
}
