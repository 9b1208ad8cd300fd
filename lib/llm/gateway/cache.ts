// The response cache: a key over everything that determines an answer, a pluggable store (memory,
// database, Redis) with a TTL, and coalescing of identical requests in flight into one provider call.
// Only successful responses are stored. A hit costs nothing: `cached: true`, zero tokens, zero cost
// (the core's meter counts it as a cached call and budgets ignore it).
import { createHash } from "node:crypto";
import type { LlmResponse } from "../../core/ports";
import type { ChatMessage, ModelParams, TokenUsage } from "../../core/types";
import { abortReason } from "./queue";

/** Where cached responses live. Values are opaque strings; expiry is the store's job. */
export interface CacheStore {
  get(key: string, now: number): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number, now: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface CacheKeyParts {
  /**
   * Whose cache this is (the services pass the project id): entries of one namespace never answer
   * another's calls. Undefined is a namespace of its own (the CLI's).
   */
  namespace?: string;
  provider: string;
  model: string;
  /** The endpoint when it is not the provider's default (two servers may serve different models). */
  endpoint?: string;
  params?: ModelParams;
  json?: boolean;
  messages: readonly ChatMessage[];
}

/** sha256 over namespace, provider, model, endpoint, parameters, JSON flag and the full rendered messages. */
export function cacheKey(parts: CacheKeyParts): string {
  const params = parts.params ?? {};
  const material = JSON.stringify([
    2,
    parts.namespace ?? null,
    parts.provider,
    parts.model,
    parts.endpoint ?? "",
    [params.temperature, params.maxOutputTokens, params.topP, params.seed],
    parts.json === true,
    parts.messages.map((m) => [m.role, m.content]),
  ]);
  return createHash("sha256").update(material).digest("hex");
}

interface StoredResponse {
  text: string;
  usage: TokenUsage;
}

/** An in-process LRU store (tests, and one-off scripts without a database). */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, now: number): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number, now: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

export type CacheMode = "use" | "bypass" | "refresh";

interface InFlight {
  response: Promise<LlmResponse>;
  /** The leader's signal: when it aborts, followers that are still wanted start their own call. */
  signal?: AbortSignal;
}

export interface CacheEvents {
  /** A store read or write failed: the call goes on as a miss (reads) or uncached (writes). */
  onStoreError?: (error: unknown) => void;
}

/** How many responses whose store write failed are kept in memory (the oldest goes first). */
export const MAX_UNSTORED = 2000;

export class ResponseCache {
  private readonly inflight = new Map<string, InFlight>();
  private readonly writes = new Set<Promise<void>>();
  // Responses the store could not take (it was away): kept here for their TTL, so that a durable step
  // retried after the outage — the same requests again — is answered without paying the provider twice.
  private readonly unstored = new Map<string, { value: StoredResponse; expiresAt: number }>();

  constructor(
    readonly store: CacheStore,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly events: CacheEvents = {},
  ) {}

  /**
   * Answers from the cache or an identical call in flight, else runs `call` and stores its result.
   * "refresh" skips the read (and coalescing) but stores; "bypass" just runs `call`.
   */
  async run(
    key: string,
    mode: CacheMode,
    call: () => Promise<LlmResponse>,
    signal?: AbortSignal,
  ): Promise<LlmResponse> {
    if (mode === "bypass") return call();
    if (mode === "refresh") {
      const response = await call();
      await this.write(key, response);
      return response;
    }
    const started = performance.now();
    const existing = this.inflight.get(key);
    if (existing) {
      try {
        return asHit(await raceAbort(existing.response, signal), started);
      } catch (error) {
        // The leader gave up because *its* caller went away, not because the call failed: go again.
        if (existing.signal?.aborted && !signal?.aborted) return this.run(key, mode, call, signal);
        throw error;
      }
    }
    const entry: InFlight = { signal, response: Promise.resolve(null as unknown as LlmResponse) };
    entry.response = (async () => {
      const stored = await this.read(key);
      if (stored) {
        this.forget(key, entry);
        return fromStore(stored, started);
      }
      let response: LlmResponse;
      try {
        response = await call();
      } catch (error) {
        this.forget(key, entry);
        throw error;
      }
      // Stay in flight until the entry is written, so a request arriving meanwhile does not call again.
      void this.write(key, response).finally(() => this.forget(key, entry));
      return response;
    })();
    this.inflight.set(key, entry);
    return entry.response;
  }

  /** Waits until every pending store write has landed (before shutting down). */
  async drain(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  /** How many distinct requests are in flight (for tests and stats). */
  get inFlight(): number {
    return this.inflight.size;
  }

  private forget(key: string, entry: InFlight): void {
    if (this.inflight.get(key) === entry) this.inflight.delete(key);
  }

  private async read(key: string): Promise<StoredResponse | undefined> {
    const kept = this.unstored.get(key);
    if (kept) {
      if (kept.expiresAt > this.now()) return kept.value;
      this.unstored.delete(key);
    }
    try {
      const value = await this.store.get(key, this.now());
      if (value === undefined) return undefined;
      const parsed = JSON.parse(value) as StoredResponse;
      return typeof parsed?.text === "string" ? parsed : undefined;
    } catch (error) {
      this.events.onStoreError?.(error);
      return undefined;
    }
  }

  private keepUnstored(key: string, value: StoredResponse): void {
    this.unstored.delete(key);
    if (this.unstored.size >= MAX_UNSTORED) {
      const oldest = this.unstored.keys().next();
      if (!oldest.done) this.unstored.delete(oldest.value);
    }
    this.unstored.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  private write(key: string, response: LlmResponse): Promise<void> {
    const value: StoredResponse = { text: response.text, usage: response.usage };
    const pending = this.store
      .set(key, JSON.stringify(value), this.ttlMs, this.now())
      .then(
        () => {
          this.unstored.delete(key);
        },
        (error: unknown) => {
          this.keepUnstored(key, value);
          this.events.onStoreError?.(error);
        },
      )
      .finally(() => this.writes.delete(pending));
    this.writes.add(pending);
    return pending;
  }
}

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };

function fromStore(stored: StoredResponse, started: number): LlmResponse {
  return {
    text: stored.text,
    usage: { ...NO_USAGE },
    latencyMs: performance.now() - started,
    costUsd: 0,
    cached: true,
  };
}

/** What a coalesced follower gets: the leader's text, at no cost. */
function asHit(response: LlmResponse, started: number): LlmResponse {
  return {
    text: response.text,
    usage: { ...NO_USAGE },
    latencyMs: performance.now() - started,
    costUsd: 0,
    cached: true,
  };
}

function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
