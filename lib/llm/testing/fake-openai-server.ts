// A loopback fake of OpenAI's HTTP API for tests, benchmarks and offline demos: a real node:http server
// speaking the real wire format of POST /v1/chat/completions (JSON and SSE streaming), POST /v1/responses
// (minimal, non-streaming), POST /v1/embeddings and GET /v1/models. Scriptable through `respond`;
// by default it answers with the offline simulator, so "openai-compatible:<name>" ids pointed at it behave
// like "sim:<name>" over real HTTP. Every request is recorded (credential headers redacted).
// Provider trouble on demand, for the gateway's tests and `npm run bench`: latency with jitter, a
// requests-per-second limit answered with 429 + Retry-After, and a rate of HTTP 500s, connection resets,
// calls that never answer (timeouts), and 200s with malformed or truncated JSON. `GET /_fake/stats`
// reports what the server saw. The wire format itself is in ./fake-openai-wire.ts.
//
//   node --import tsx lib/llm/testing/fake-openai-server.ts --port 8787 [--host 127.0.0.1] [--latency 50]
//     [--jitter 10] [--rps 50] [--error-rate 0.05] [--reset-rate 0] [--timeout-rate 0]
//     [--bad-json-rate 0] [--truncated-rate 0] [--seed 1] [--reply ok] [--no-record]
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import {
  type BodyDamage,
  describeCall,
  errorBody,
  type FakeCall,
  type FakeReply,
  type RecordedRequest,
  ROUTES,
  readBody,
  sendJson,
  sendReply,
  simulate,
} from "./fake-openai-wire";

export type { FakeCall, FakeReply, RecordedRequest } from "./fake-openai-wire";

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
   * HTTP 500, `reset` destroys the connection, `timeout` never answers (the client must give up),
   * `badJson` answers 200 with malformed JSON and `truncated` 200 with the answer's JSON cut in half.
   */
  faults?: Partial<Record<Fault, number>>;
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

/** The injectable faults, in the order of the draw (a new one goes last: old seeds keep their draws). */
const FAULTS = ["error500", "reset", "timeout", "badJson", "truncated"] as const;
export type Fault = (typeof FAULTS)[number];

/** What happened to a model call: an HTTP status, or the trouble it got instead of an answer. */
export type FakeOutcome = number | "reset" | "timeout" | BodyDamage;

export interface FakeStats {
  /** TCP connections accepted (the egress tests check that a refused target saw none). */
  connections: number;
  /** Model calls received (429s included). */
  calls: number;
  /** Outcomes counted by status ("200", "429", "500") or trouble ("reset", "timeout", "badJson", "truncated"). */
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

export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  let calls = 0;
  const random = seededRandom(options.seed ?? 1);
  const bucket =
    options.requestsPerSecond !== undefined
      ? serverBucket(options.requestsPerSecond, options.burst ?? Math.max(1, options.requestsPerSecond))
      : undefined;
  const faults = options.faults ?? {};
  const counters: FakeStats = { connections: 0, calls: 0, outcomes: {}, arrivals: [] };
  const count = (arrived: number, outcome: FakeOutcome, model: string) => {
    counters.outcomes[String(outcome)] = (counters.outcomes[String(outcome)] ?? 0) + 1;
    counters.arrivals.push([arrived, outcome, model]);
  };
  const stats = (): FakeStats => ({
    connections: counters.connections,
    calls: counters.calls,
    outcomes: { ...counters.outcomes },
    arrivals: counters.arrivals.slice(),
  });
  /** The injected fault for an admitted call, if any (one draw per call keeps the sequence seeded). */
  const drawFault = (): Fault | undefined => {
    const draw = random();
    let edge = 0;
    for (const fault of FAULTS) {
      edge += faults[fault] ?? 0;
      if (draw < edge) return fault;
    }
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
      // A spoiled body (fault or scripted) is the answer the call would have got, damaged on the way.
      const damage: BodyDamage | undefined =
        fault === "badJson" || fault === "truncated"
          ? fault
          : reply === "badJson" || reply === "truncated"
            ? reply
            : undefined;
      if (!damage && reply === "reset") {
        count(arrived, "reset", model);
        req.socket.destroy();
        return;
      }
      if (!damage && typeof reply === "object" && "status" in reply) {
        count(arrived, reply.status, model);
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
      const answer = typeof reply === "object" && !("status" in reply) ? reply : await simulate(call);
      count(arrived, damage ?? 200, model);
      sendReply(res, call, answer, damage);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, `fake server: ${(error as Error).message}`));
      else res.destroy();
    }
  });
  server.on("connection", () => {
    counters.connections++;
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
      badJson: numberArg(args, "--bad-json-rate"),
      truncated: numberArg(args, "--truncated-rate"),
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
