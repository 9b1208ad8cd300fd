// The playground's records as newline-delimited JSON bytes: one record per line, written as it happens.
// Cancelling the stream (the client went away) aborts the calls behind it through `stop`.
import type { ProjectAccess } from "@/lib/auth/principal";
import type { AuditActor, Db } from "@/lib/db";
import type { PlaygroundRecord, PlaygroundRunBody } from "@/lib/validation/playground";
import { type PlaygroundOptions, runPlayground } from "./run";

export const NDJSON_CONTENT_TYPE = "application/x-ndjson; charset=utf-8";

export function ndjsonStream(
  records: AsyncIterable<PlaygroundRecord>,
  stop: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = records[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      stop();
      await iterator.return?.();
    },
  });
}

/** A run of the playground as NDJSON: checked first (bad input throws), then the calls stream. */
export async function playgroundNdjson(
  db: Db,
  access: ProjectAccess,
  body: PlaygroundRunBody,
  actor: AuditActor,
  options: PlaygroundOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const records = await runPlayground(db, access, body, actor, { ...options, signal });
  return ndjsonStream(records, () => stop.abort());
}
