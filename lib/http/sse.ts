// Server-sent events (text/event-stream): a stream of events produced by an async iterable becomes a
// Response, with a heartbeat comment while it is quiet and a stop when the client goes away (the
// request's signal aborts or the body is cancelled). What to send, and when, is the producer's business
// (every job's stream: lib/runner/job-events.ts polls the database); this file only speaks the wire
// format.

export interface SseMessage {
  /** The event type (`event:`); absent: "message". */
  event?: string;
  /** The event id (`id:`): the browser sends the last one back as `Last-Event-ID` when it reconnects. */
  id?: string;
  /** JSON-encoded unless it is a string already; one `data:` line per line. */
  data: unknown;
  /** Reconnection delay for the browser, in ms (`retry:`). */
  retry?: number;
}

/** One event in the wire format, ending with the blank line. */
export function formatSse(message: SseMessage): string {
  let out = "";
  if (message.event) out += `event: ${oneLine(message.event)}\n`;
  if (message.id !== undefined) out += `id: ${oneLine(message.id)}\n`;
  if (message.retry !== undefined) out += `retry: ${Math.max(0, Math.round(message.retry))}\n`;
  const text = typeof message.data === "string" ? message.data : JSON.stringify(message.data);
  for (const line of (text ?? "").split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

const oneLine = (value: string) => value.replace(/[\r\n]/g, " ");

/**
 * The id of the last event the client saw: the `Last-Event-ID` header (sent by EventSource when it
 * reconnects), else the `lastEventId` query parameter (for clients that cannot set headers).
 */
export function lastEventIdOf(request: Request): string | null {
  const header = request.headers.get("last-event-id");
  if (header !== null && header !== "") return header;
  const query = new URL(request.url).searchParams.get("lastEventId");
  return query === null || query === "" ? null : query;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export interface SseOptions {
  /** A comment line this often while nothing else is sent, so proxies keep the connection (default 15 s). */
  heartbeatMs?: number;
}

export const SSE_HEADERS: Record<string, string> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // nginx and similar proxies: do not buffer the stream.
  "X-Accel-Buffering": "no",
};

/**
 * A text/event-stream Response of the events `produce` yields. `produce` gets a signal that aborts when
 * the client disconnects (it should stop polling then); the stream closes when the iterable ends. An
 * error thrown by the producer closes the stream as an error (the browser reconnects) and is logged.
 */
export function sseResponse(
  request: Request,
  produce: (signal: AbortSignal) => AsyncIterable<SseMessage>,
  options: SseOptions = {},
): Response {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  request.signal?.addEventListener("abort", onAbort, { once: true });
  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastWrite = Date.now();

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (stop.signal.aborted) return;
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(text));
      };
      heartbeat = setInterval(
        () => {
          if (Date.now() - lastWrite >= heartbeatMs - 5) write(": heartbeat\n\n");
        },
        Math.max(10, heartbeatMs),
      );
      const finish = () => {
        clearInterval(heartbeat);
        request.signal?.removeEventListener("abort", onAbort);
      };
      (async () => {
        try {
          for await (const message of produce(stop.signal)) {
            if (stop.signal.aborted) break;
            write(formatSse(message));
          }
          finish();
          try {
            controller.close();
          } catch {} // already cancelled by the client
        } catch (error) {
          finish();
          if (stop.signal.aborted) return;
          console.error("event stream failed:", error);
          controller.error(error);
        }
      })();
    },
    cancel() {
      clearInterval(heartbeat);
      stop.abort();
    },
  });
  return new Response(body, { headers: SSE_HEADERS });
}
