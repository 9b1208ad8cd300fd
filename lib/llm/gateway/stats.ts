// Accounting: calls, provider requests, retries, cache hits, failures, tokens, cost and latency
// percentiles, per model configuration and per scope (a run or batch id), plus the total.

export interface LatencySummary {
  /** Calls measured (latency of calls that reached the provider and succeeded, retries included). */
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface CallStats {
  /** Calls made to the gateway (generate and embed). */
  calls: number;
  /** Calls answered from the cache or by an identical call in flight. */
  cacheHits: number;
  /** HTTP requests (attempts) sent to the provider, retries included. */
  requests: number;
  /** Attempts after the first. */
  retries: number;
  /** Calls that ended in an error. */
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Time spent waiting for the rate limiter. */
  rateLimitWaitMs: number;
  latencyMs: LatencySummary;
}

export interface GatewayStats {
  total: CallStats;
  /** Keyed by "provider:model". */
  models: Record<string, CallStats>;
  /** Keyed by the id given to `withScope`. */
  scopes: Record<string, CallStats>;
}

/** Latency samples: exact up to `capacity`, then a uniform reservoir sample (bounded memory). */
class LatencySamples {
  private readonly samples: number[] = [];
  private seen = 0;
  private max = 0;

  constructor(private readonly capacity = 8192) {}

  add(ms: number): void {
    this.seen++;
    if (ms > this.max) this.max = ms;
    if (this.samples.length < this.capacity) this.samples.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < this.capacity) this.samples[slot] = ms;
    }
  }

  summary(): LatencySummary {
    const sorted = this.samples.slice().sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0) : 0;
    return { count: this.seen, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(this.max) };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

class Counter {
  calls = 0;
  cacheHits = 0;
  requests = 0;
  retries = 0;
  failures = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  rateLimitWaitMs = 0;
  readonly latency = new LatencySamples();

  snapshot(): CallStats {
    const { latency, ...counts } = this;
    return { ...counts, rateLimitWaitMs: round(this.rateLimitWaitMs), latencyMs: latency.summary() };
  }
}

export type StatsEvent =
  | { kind: "call" }
  | { kind: "hit" }
  | { kind: "request"; retry: boolean }
  | { kind: "wait"; ms: number }
  | { kind: "success"; latencyMs: number; inputTokens: number; outputTokens: number; costUsd: number }
  | { kind: "failure" };

/** Sees every accounting event of every gateway in the process (e.g. the Prometheus metrics). */
export type GatewayEventListener = (model: string, event: StatsEvent) => void;

// On globalThis: Next.js may bundle this module once per route, and every gateway must reach the same
// listeners (the metrics endpoint lives in another bundle than the routes that make calls).
const LISTENERS = Symbol.for("strop.gatewayEventListeners");
type WithListeners = typeof globalThis & { [LISTENERS]?: Set<GatewayEventListener> };

function gatewayEventListeners(): Set<GatewayEventListener> {
  const holder = globalThis as WithListeners;
  holder[LISTENERS] ??= new Set();
  return holder[LISTENERS];
}

/** Subscribes to the accounting events of every gateway in this process; returns the unsubscribe. */
export function onGatewayEvent(listener: GatewayEventListener): () => void {
  const listeners = gatewayEventListeners();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class StatsCollector {
  private readonly total = new Counter();
  private readonly models = new Map<string, Counter>();
  private readonly scopes = new Map<string, Counter>();

  record(model: string, scope: string | undefined, event: StatsEvent): void {
    apply(this.total, event);
    apply(counter(this.models, model), event);
    if (scope !== undefined) apply(counter(this.scopes, scope), event);
    for (const listener of gatewayEventListeners()) {
      // Observers never fail a provider call.
      try {
        listener(model, event);
      } catch {}
    }
  }

  snapshot(): GatewayStats {
    const map = (m: Map<string, Counter>) =>
      Object.fromEntries([...m].map(([key, value]) => [key, value.snapshot()]));
    return { total: this.total.snapshot(), models: map(this.models), scopes: map(this.scopes) };
  }

  /** Drops a finished scope's counters (they stay in the per-model and total figures). */
  forgetScope(scope: string): void {
    this.scopes.delete(scope);
  }
}

function counter(map: Map<string, Counter>, key: string): Counter {
  let found = map.get(key);
  if (!found) {
    found = new Counter();
    map.set(key, found);
  }
  return found;
}

function apply(c: Counter, event: StatsEvent): void {
  switch (event.kind) {
    case "call":
      c.calls++;
      return;
    case "hit":
      c.cacheHits++;
      return;
    case "request":
      c.requests++;
      if (event.retry) c.retries++;
      return;
    case "wait":
      c.rateLimitWaitMs += event.ms;
      return;
    case "success":
      c.latency.add(event.latencyMs);
      c.inputTokens += event.inputTokens;
      c.outputTokens += event.outputTokens;
      c.costUsd += event.costUsd;
      return;
    case "failure":
      c.failures++;
      return;
  }
}
