// A lean `fetch` for provider calls over node:http/https with keep-alive agents. The AI SDK providers take
// a `fetch`; undici's costs ~0.5 ms of CPU per call more than this (docs/benchmarks.md), which at
// hundreds of calls per second is most of the client's budget. It does only what provider calls need:
// a buffered request body, a buffered response (exposed as a one-chunk stream), abort signals, and
// undici's error shape for connection failures (TypeError "fetch failed" with the cause), so the SDK
// classifies them the same way; gzip/deflate/br bodies are decoded. Anything else (streams as request
// bodies, non-HTTP URLs) goes to globalThis.fetch. It ignores undici's global dispatcher (e.g. a proxy
// agent): pass `fetch: globalThis.fetch` to createLlm to use undici.
import http from "node:http";
import https from "node:https";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

const agents = {
  "http:": new http.Agent({ keepAlive: true, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, scheduling: "lifo" }),
};

function headerObject(headers: HeadersInit | undefined): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = String(value);
  return out;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** No accept-encoding is sent, but a server may compress anyway: decode what undici would decode. */
function decoded(encoding: string | undefined, body: Buffer): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return gunzipSync(body);
    case "deflate":
      return inflateSync(body);
    case "br":
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

/** A Response over an already-read body. */
function bufferedResponse(res: http.IncomingMessage, raw: Buffer, url: string): Response {
  const encoding = res.headers["content-encoding"];
  const body = raw.length > 0 ? decoded(encoding, raw) : raw;
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (body !== raw && (name === "content-encoding" || name === "content-length")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const status = res.statusCode ?? 0;
  // Statuses that must not carry a body cannot be constructed with one.
  const bytes = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
  const response = new Response(status === 204 || status === 304 || body.length === 0 ? null : bytes, {
    status,
    statusText: res.statusMessage ?? "",
    headers,
  });
  Object.defineProperty(response, "url", { value: url });
  return response;
}

export const httpFetch: typeof fetch = (input, init = {}) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const protocol = url.slice(0, url.indexOf(":") + 1);
  const agent = agents[protocol as keyof typeof agents];
  const body = init.body;
  const plainBody =
    body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
  if (!agent || !plainBody || typeof input !== "string") return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const headers = headerObject(init.headers);
    if (body !== undefined && body !== null) headers["content-length"] = String(Buffer.byteLength(body));
    const req = (protocol === "https:" ? https : http).request(url, {
      method: init.method ?? "GET",
      headers,
      agent,
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    const onAbort = () => {
      fail(abortError(signal as AbortSignal));
      req.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
      res.on("aborted", () => fail(new TypeError("fetch failed", { cause: new Error("response aborted") })));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        try {
          resolve(bufferedResponse(res, Buffer.concat(chunks), url));
        } catch (error) {
          reject(new TypeError("fetch failed", { cause: error }));
        }
      });
    });
    req.end(body ?? undefined);
  });
};
