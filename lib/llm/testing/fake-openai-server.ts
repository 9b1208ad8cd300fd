// A loopback fake of OpenAI's HTTP API for tests, benchmarks and offline demos: a real node:http server
// speaking the real wire format of POST /v1/chat/completions (JSON and SSE streaming), POST /v1/responses
// (minimal, non-streaming), POST /v1/embeddings and GET /v1/models. Scriptable through `respond`;
// by default it answers with the offline simulator, so "openai-compatible:<name>" ids pointed at it behave
// like "sim:<name>" over real HTTP. Every request is recorded (credential headers redacted).
// Provider trouble on demand, for the gateway's tests and `npm run bench`: latency with jitter, a
// requests-per-second limit answered with 429 + Retry-After, and a rate of HTTP 500s, connection resets
// and calls that never answer (timeouts). `GET /_fake/stats` reports what the server saw.
//
//   node --import tsx lib/llm/testing/fake-openai-server.ts --port 8787 [--host 127.0.0.1] [--latency 50]
//     [--jitter 10] [--rps 50] [--error-rate 0.05] [--reset-rate 0] [--timeout-rate 0] [--seed 1]
//     [--reply ok] [--no-record]
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { loadSim, type SimMessage } from "../providers/sim";

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  /** Lower-case names; credential headers (authorization, x-api-key, ...) have the value "[redacted]". */
  headers: Record<string, string>;
  /** Parsed JSON body (the raw text when it is not JSON; undefined when empty). */
  body: unknown;
  /** When it arrived (Date.now()): tests line requests up with other processes' timestamps. */
  receivedAt: number;
}

export interface FakeCall {
  kind: "chat" | "responses" | "embeddings";
  /** 0-based position among all model calls this server received. */
  index: number;
  model: string;
  /** chat / responses: the conversation as text messages ("developer" counts as "system"). */
  messages: SimMessage[];
  /** embeddings: the input texts. */
  input: string[];
  /** chat / responses: whether a JSON response format was requested. */
  json: boolean;
  body: Record<string, unknown>;
  request: RecordedRequest;
}

export type FakeReply =
  /** A completion; usage defaults to ~4 characters per token. */
  | { content: string; usage?: { promptTokens: number; completionTokens: number }; finishReason?: string }
  /** Embeddings for an embeddings call. */
  | { embeddings: number[][]; promptTokens?: number }
  /** An HTTP error (or any status); a string body is sent as text/plain; default: OpenAI's error shape. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Destroy the connection without answering. */
  | "reset";

export interface FakeServerOptions {
  /** Scripted behaviour; return undefined to fall back to the simulator. */
  respond?: (call: FakeCall) => FakeReply | undefined | Promise<FakeReply | undefined>;
  /** Delay before each model-call answer, in ms. */
  latencyMs?: number | ((call: FakeCall) => number);
  /** Adds a uniform random delay in [-jitterMs, +jitterMs] to the latency (never below 0). */
  jitterMs?: number;
  /**
   * Model calls per second above which the server answers 429 with `retry-after` (seconds) and
   * `retry-after-ms`: a token bucket refilled at this rate holding `burst` requests (default one second's
   * worth). A refused call consumes nothing.
   */
  requestsPerSecond?: number;
  burst?: number;
  /**
   * Fractions of the admitted model calls that fail, decided after the latency: `error500` answers
   * HTTP 500, `reset` destroys the connection, `timeout` never answers (the client must give up).
   */
  faults?: { error500?: number; reset?: number; timeout?: number };
  /** Seed of the jitter and fault draws (default 1): the same seed, the same sequence. */
  seed?: number;
  /** Keep every request in `requests` (default true). Counters in `stats()` are kept either way. */
  record?: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Ids listed by GET /v1/models; default ["sim", "default"]. */
  models?: string[];
}

export interface FakeServer {
  /** "http://127.0.0.1:<port>" */
  url: string;
  /** url + "/v1": what goes in a model config's baseURL. */
  baseURL: string;
  /** Every request received, in arrival order (empty with `record: false`). */
  requests: RecordedRequest[];
  /** Counters of the model calls received so far (also served as JSON at GET /_fake/stats). */
  stats(): FakeStats;
  close(): Promise<void>;
}

/** What happened to a model call: an HTTP status, or "reset" / "timeout" for the injected faults. */
export type FakeOutcome = number | "reset" | "timeout";

export interface FakeStats {
  /** Model calls received (429s included). */
  calls: number;
  /** Outcomes counted by status ("200", "429", "500", "reset", "timeout"). */
  outcomes: Record<string, number>;
  /** Arrival time (ms since the epoch), outcome and model name of every model call, in completion order. */
  arrivals: [number, FakeOutcome, string][];
}

/** mulberry32: a small seeded generator in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The server side of a provider's request limit: admits a call when a whole token is available. */
function serverBucket(perSecond: number, burst: number) {
  let tokens = burst;
  let last = performance.now();
  return {
    /** 0 when admitted, else the milliseconds until a token is available. */
    take(): number {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - last) * perSecond) / 1000);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil(((1 - tokens) * 1000) / perSecond));
    },
  };
}

const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
]);

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : ""))
    .filter((t) => t !== "")
    .join("\n");
}

function toMessages(items: unknown): SimMessage[] {
  if (typeof items === "string") return [{ role: "user", content: items }];
  if (!Array.isArray(items)) return [];
  const messages: SimMessage[] = [];
  for (const item of items) {
    if (!item || typeof item !== "object" || !("role" in item)) continue;
    const role = item.role === "developer" ? "system" : item.role;
    if (role !== "system" && role !== "user" && role !== "assistant") continue;
    messages.push({ role, content: textOf((item as { content?: unknown }).content) });
  }
  return messages;
}

function isJsonFormat(format: unknown): boolean {
  const type = format && typeof format === "object" && "type" in format ? format.type : undefined;
  return type === "json_object" || type === "json_schema";
}

function describeCall(
  kind: FakeCall["kind"],
  body: Record<string, unknown>,
  index: number,
  request: RecordedRequest,
) {
  const model = typeof body.model === "string" ? body.model : "";
  if (kind === "embeddings") {
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
    return { kind, index, model, messages: [], input, json: false, body, request } satisfies FakeCall;
  }
  if (kind === "responses") {
    const messages = toMessages(body.input);
    if (typeof body.instructions === "string")
      messages.unshift({ role: "system", content: body.instructions });
    const text = body.text as { format?: unknown } | undefined;
    return {
      kind,
      index,
      model,
      messages,
      input: [],
      json: isJsonFormat(text?.format),
      body,
      request,
    } satisfies FakeCall;
  }
  const messages = toMessages(body.messages);
  return {
    kind,
    index,
    model,
    messages,
    input: [],
    json: isJsonFormat(body.response_format),
    body,
    request,
  } satisfies FakeCall;
}

async function simulate(call: FakeCall): Promise<FakeReply> {
  const sim = await loadSim();
  if (call.kind === "embeddings") {
    return {
      embeddings: sim.simEmbed(call.input),
      promptTokens: call.input.reduce((n, t) => n + estimateTokens(t), 0),
    };
  }
  const { temperature, seed } = call.body;
  const result = sim.simChat({
    model: call.model,
    messages: call.messages,
    ...(typeof temperature === "number" && { temperature }),
    ...(typeof seed === "number" && { seed }),
    ...(call.json && { json: true }),
  });
  return {
    content: result.text,
    usage: { promptTokens: result.usage.inputTokens, completionTokens: result.usage.outputTokens },
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function errorBody(status: number, message: string) {
  return {
    error: {
      message,
      type: status >= 500 ? "server_error" : "invalid_request_error",
      param: null,
      code: null,
    },
  };
}

function chatStream(
  res: ServerResponse,
  call: FakeCall,
  base: Record<string, unknown>,
  content: string,
  finish: string,
  usage: object,
) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const send = (chunk: object) =>
    res.write(
      `data: ${JSON.stringify({ id: base.id, object: "chat.completion.chunk", ...base, ...chunk })}\n\n`,
    );
  send({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const piece of content.match(/\S+\s*|\s+/g) ?? []) {
    send({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  }
  send({ choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  const streamOptions = call.body.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage) send({ choices: [], usage });
  res.end("data: [DONE]\n\n");
}

function sendReply(
  res: ServerResponse,
  call: FakeCall,
  reply: Exclude<FakeReply, "reset" | { status: number }>,
) {
  const created = Math.floor(Date.now() / 1000);
  if ("embeddings" in reply) {
    const promptTokens = reply.promptTokens ?? call.input.reduce((n, t) => n + estimateTokens(t), 0);
    sendJson(res, 200, {
      object: "list",
      data: reply.embeddings.map((embedding, index) => ({ object: "embedding", index, embedding })),
      model: call.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
    return;
  }
  if (call.kind === "embeddings") {
    sendJson(res, 500, errorBody(500, "fake server: a { content } reply cannot answer an embeddings call"));
    return;
  }
  const promptTokens =
    reply.usage?.promptTokens ?? call.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
  const completionTokens = reply.usage?.completionTokens ?? estimateTokens(reply.content);
  const finish = reply.finishReason ?? "stop";
  if (call.kind === "responses") {
    sendJson(res, 200, {
      id: `resp_fake_${call.index}`,
      object: "response",
      created_at: created,
      status: "completed",
      model: call.model,
      output: [
        {
          type: "message",
          id: `msg_fake_${call.index}`,
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: reply.content, annotations: [] }],
        },
      ],
      incomplete_details: finish === "length" ? { reason: "max_output_tokens" } : null,
      usage: {
        input_tokens: promptTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: completionTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: promptTokens + completionTokens,
      },
    });
    return;
  }
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const id = `chatcmpl-fake-${call.index}`;
  const base = { id, created, model: call.model, system_fingerprint: "fp_fake" };
  if (call.body.stream === true) {
    chatStream(res, call, base, reply.content, finish, usage);
    return;
  }
  sendJson(res, 200, {
    id,
    object: "chat.completion",
    created,
    model: call.model,
    system_fingerprint: "fp_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.content, refusal: null },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage,
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const ROUTES: Record<string, FakeCall["kind"]> = {
  "/v1/chat/completions": "chat",
  "/v1/responses": "responses",
  "/v1/embeddings": "embeddings",
};

export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  let calls = 0;
  const random = seededRandom(options.seed ?? 1);
  const bucket =
    options.requestsPerSecond !== undefined
      ? serverBucket(options.requestsPerSecond, options.burst ?? Math.max(1, options.requestsPerSecond))
      : undefined;
  const faults = options.faults ?? {};
  const counters: FakeStats = { calls: 0, outcomes: {}, arrivals: [] };
  const count = (arrived: number, outcome: FakeOutcome, model: string) => {
    counters.outcomes[String(outcome)] = (counters.outcomes[String(outcome)] ?? 0) + 1;
    counters.arrivals.push([arrived, outcome, model]);
  };
  const stats = (): FakeStats => ({
    calls: counters.calls,
    outcomes: { ...counters.outcomes },
    arrivals: counters.arrivals.slice(),
  });
  /** The injected fault for an admitted call, if any (one draw per call keeps the sequence seeded). */
  const drawFault = (): "error500" | "reset" | "timeout" | undefined => {
    const draw = random();
    let edge = faults.error500 ?? 0;
    if (draw < edge) return "error500";
    edge += faults.reset ?? 0;
    if (draw < edge) return "reset";
    edge += faults.timeout ?? 0;
    if (draw < edge) return "timeout";
    return undefined;
  };

  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        headers[name] = SECRET_HEADERS.has(name)
          ? "[redacted]"
          : Array.isArray(value)
            ? value.join(", ")
            : value;
      }
      const receivedAt = Date.now();
      const raw = await readBody(req);
      let body: unknown;
      let parsed = true;
      try {
        body = raw === "" ? undefined : JSON.parse(raw);
      } catch {
        body = raw;
        parsed = false;
      }
      const request: RecordedRequest = { method: req.method ?? "GET", path, headers, body, receivedAt };
      if (options.record !== false) requests.push(request);

      if (req.method === "GET" && path === "/_fake/stats") {
        sendJson(res, 200, stats());
        return;
      }
      if (req.method === "GET" && path === "/v1/models") {
        const created = Math.floor(Date.now() / 1000);
        const ids = options.models ?? ["sim", "default"];
        sendJson(res, 200, {
          object: "list",
          data: ids.map((id) => ({ id, object: "model", created, owned_by: "strop-fake" })),
        });
        return;
      }
      const kind = ROUTES[path];
      if (req.method !== "POST" || kind === undefined) {
        sendJson(res, 404, errorBody(404, `fake server: no route for ${req.method} ${path}`));
        return;
      }
      if (!parsed || !body || typeof body !== "object") {
        sendJson(res, 400, errorBody(400, "fake server: the request body must be a JSON object"));
        return;
      }
      const arrived = Date.now();
      const model = String((body as { model?: unknown }).model ?? "");
      counters.calls++;
      const wait = bucket?.take() ?? 0;
      if (wait > 0) {
        count(arrived, 429, model);
        sendJson(res, 429, errorBody(429, "fake server: rate limit reached for requests"), {
          "retry-after": String(Math.ceil(wait / 1000)),
          "retry-after-ms": String(wait),
        });
        return;
      }
      const call = describeCall(kind, body as Record<string, unknown>, calls++, request);
      if (kind === "responses" && call.body.stream === true) {
        count(arrived, 400, model);
        sendJson(res, 400, errorBody(400, "fake server: streaming is not implemented for /v1/responses"));
        return;
      }
      const base =
        typeof options.latencyMs === "function" ? options.latencyMs(call) : (options.latencyMs ?? 0);
      const jitter = options.jitterMs ? (random() * 2 - 1) * options.jitterMs : 0;
      const latency = Math.max(0, base + jitter);
      const fault = drawFault();
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      if (fault === "timeout") {
        count(arrived, "timeout", model);
        return; // never answered; the socket closes when the client gives up or the server closes
      }
      if (fault === "reset") {
        count(arrived, "reset", model);
        req.socket.destroy();
        return;
      }
      if (fault === "error500") {
        count(arrived, 500, model);
        sendJson(res, 500, errorBody(500, "fake server: injected internal error"));
        return;
      }

      const reply = (await options.respond?.(call)) ?? (await simulate(call));
      if (reply === "reset") {
        count(arrived, "reset", model);
        req.socket.destroy();
        return;
      }
      count(arrived, "status" in reply ? reply.status : 200, model);
      if ("status" in reply) {
        if (typeof reply.body === "string") {
          res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8", ...reply.headers });
          res.end(reply.body);
          return;
        }
        sendJson(
          res,
          reply.status,
          reply.body ?? errorBody(reply.status, `fake server: status ${reply.status}`),
          reply.headers,
        );
        return;
      }
      sendReply(res, call, reply);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, `fake server: ${(error as Error).message}`));
      else res.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function numberArg(args: string[], name: string): number | undefined {
  const value = argValue(args, name);
  return value === undefined ? undefined : Number(value);
}

async function main(args: string[]): Promise<void> {
  const reply = argValue(args, "--reply");
  const server = await startFakeOpenAIServer({
    port: numberArg(args, "--port") ?? 8787,
    host: argValue(args, "--host") ?? "127.0.0.1",
    latencyMs: numberArg(args, "--latency") ?? 0,
    jitterMs: numberArg(args, "--jitter"),
    requestsPerSecond: numberArg(args, "--rps"),
    burst: numberArg(args, "--burst"),
    faults: {
      error500: numberArg(args, "--error-rate"),
      reset: numberArg(args, "--reset-rate"),
      timeout: numberArg(args, "--timeout-rate"),
    },
    seed: numberArg(args, "--seed"),
    record: !args.includes("--no-record"),
    ...(reply !== undefined && {
      respond: (call: FakeCall) => (call.kind === "embeddings" ? undefined : { content: reply }),
    }),
  });
  // The first line is machine-readable: a parent process (the benchmark) reads the URL from it.
  console.log(`Fake OpenAI-compatible server listening; baseURL ${server.baseURL}`);
  console.log(`Use model ids "openai-compatible:<name>" with OPENAI_COMPATIBLE_BASE_URL=${server.baseURL}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
