// The Inngest client and the events of every job kind. INNGEST_DEV=1 talks to a local Inngest Dev
// Server; in production INNGEST_EVENT_KEY (sending) and INNGEST_SIGNING_KEY (serving) connect it to
// Inngest Cloud or a self-hosted Inngest (INNGEST_BASE_URL). Here, under lib/runner, so that dispatch and
// cancel reach Inngest without lib/runner importing inngest/ (which imports lib/runner and the kinds).
// Loaded on demand by the engine: processes that only use the embedded runner never load the SDK.
import { eventType, Inngest } from "inngest";
import { type AnyJobKind, type JobTarget, jobEventSchemas, requestedEventData } from "./job-kind";

export const inngest = new Inngest({ id: "strop" });

/** A kind's two event types (typed triggers, validated before they are sent), built once per kind. */
export function jobEventTypes(kind: AnyJobKind) {
  const { events } = kind.inngest;
  const schemas = jobEventSchemas(events);
  return {
    requested: eventType(events.requested, { schema: schemas.requested }),
    cancel: eventType(events.cancel, { schema: schemas.cancel }),
  };
}

/** Sends the kind's "requested" event for `target` (validated against its schema first). */
export async function sendJobRequested(kind: AnyJobKind, target: JobTarget): Promise<void> {
  const event = jobEventTypes(kind).requested.create(requestedEventData(kind, target));
  await event.validate();
  await inngest.send(event);
}

/** Sends the kind's cancel event for job `id` (validated against its schema first). */
export async function sendJobCancel(kind: AnyJobKind, id: string): Promise<void> {
  const event = jobEventTypes(kind).cancel.create({ [kind.inngest.events.idField]: id });
  await event.validate();
  await inngest.send(event);
}
