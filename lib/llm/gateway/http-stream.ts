// Streamed responses of the gateway's HTTP client: a server-sent event stream (a streamed chat answer)
// must reach the AI SDK chunk by chunk, so it is handed over as the bytes arrive instead of being
// buffered like every other answer. A connection that dies before the end errors the stream the way
// undici does (TypeError "fetch failed" with the cause), so the SDK reports it like any other.
import type http from "node:http";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** A 2xx `text/event-stream` answer: read as it arrives. */
export function isEventStream(res: http.IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  const type = res.headers["content-type"] ?? "";
  return status >= 200 && status < 300 && /^text\/event-stream\b/i.test(type);
}

/** The answer's headers; without content-encoding and length when the body is handed over decoded. */
export function headersOf(res: http.IncomingMessage, decoded: boolean): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (decoded && (name === "content-encoding" || name === "content-length")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

function decoder(encoding: string | undefined) {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * A Response whose body streams `res`; `onEnd` runs once when the body ends, fails or is cancelled
 * (the caller keeps its abort listener until then: aborting destroys the request and so the stream).
 */
export function streamedResponse(res: http.IncomingMessage, url: string, onEnd: () => void): Response {
  const decode = decoder(res.headers["content-encoding"]);
  const source: Readable = decode ? res.pipe(decode) : res;
  let finished = false;
  const finish = () => {
    if (finished) return false;
    finished = true;
    onEnd();
    return true;
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: unknown) => {
        if (finish()) controller.error(new TypeError("fetch failed", { cause: error }));
      };
      source.on("data", (chunk: Buffer) => {
        if (!finished) controller.enqueue(new Uint8Array(chunk));
      });
      source.on("end", () => {
        if (finish()) controller.close();
      });
      source.on("error", fail);
      if (decode) res.on("error", fail);
      // A connection closed before the whole body arrived.
      res.on("close", () => {
        if (!res.complete) fail(new Error("response aborted"));
      });
    },
    cancel() {
      finish();
      res.destroy();
    },
  });
  const response = new Response(body, {
    status: res.statusCode ?? 200,
    statusText: res.statusMessage ?? "",
    headers: headersOf(res, decode !== undefined),
  });
  Object.defineProperty(response, "url", { value: url });
  return response;
}
