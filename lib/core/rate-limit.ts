// Rate-limiting rules, pure: the clock comes in as a number or a function, state lives in stores behind
// ports (memory here; Redis in lib/auth). Three shapes:
// - FixedWindowLimiter: N hits per window and key, in memory (per-IP limits of a few public routes);
// - a token bucket (API requests per key and per user): `takeToken`;
// - growing lockouts after failures (sign-in): `lockoutMs` / `remainingLockoutMs`.

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window resets (0 when allowed). */
  retryAfterSeconds: number;
}

const ALLOWED: RateLimitDecision = { allowed: true, retryAfterSeconds: 0 };

/** Whole seconds to wait, at least 1 (a Retry-After of 0 invites an immediate retry). */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Windows kept before expired ones are swept. */
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one attempt for `key`. */
  hit(key: string): RateLimitDecision {
    const now = this.now();
    this.sweep(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return ALLOWED;
    }
    window.count++;
    if (window.count <= this.limit) return ALLOWED;
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(window.start + this.windowMs - now) };
  }

  private sweep(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows)
      if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

// ---- Token bucket -------------------------------------------------------------------------------------

/** `capacity` requests back to back, then `refillPerSecond` on average. */
export interface TokenBucketPolicy {
  capacity: number;
  refillPerSecond: number;
}

export interface TokenBucketState {
  tokens: number;
  /** When `tokens` was computed (ms). */
  at: number;
}

/**
 * Takes one token at `now`. A refused request costs nothing (no debt), so a client that backs off for
 * Retry-After seconds always gets through. A clock that went backwards refills nothing.
 */
export function takeToken(
  state: TokenBucketState | undefined,
  now: number,
  policy: TokenBucketPolicy,
): { state: TokenBucketState; allowed: boolean; retryAfterMs: number } {
  const at = state ? Math.max(state.at, now) : now;
  const refilled = state ? state.tokens + ((at - state.at) / 1000) * policy.refillPerSecond : policy.capacity;
  const tokens = Math.min(policy.capacity, refilled);
  if (tokens >= 1) return { state: { tokens: tokens - 1, at }, allowed: true, retryAfterMs: 0 };
  return {
    state: { tokens, at },
    allowed: false,
    retryAfterMs: ((1 - tokens) / policy.refillPerSecond) * 1000,
  };
}

/** How long an idle bucket must be kept before it is full again (and may be forgotten). */
export const bucketIdleMs = (policy: TokenBucketPolicy): number =>
  Math.ceil((policy.capacity / policy.refillPerSecond) * 1000);

/** Port: buckets by key, each taken atomically (one process's memory, or Redis for several). */
export interface TokenBucketStore {
  take(
    key: string,
    policy: TokenBucketPolicy,
    now: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** Buckets in this process's memory; idle (full) buckets are swept once the map grows. */
export class MemoryTokenBucketStore implements TokenBucketStore {
  private readonly buckets = new Map<string, TokenBucketState>();

  constructor(private readonly maxKeys = 50_000) {}

  async take(key: string, policy: TokenBucketPolicy, now: number) {
    return this.takeNow(key, policy, now);
  }

  /** The synchronous form (no promise per request on the hot path of an in-memory limiter). */
  takeNow(key: string, policy: TokenBucketPolicy, now: number): { allowed: boolean; retryAfterMs: number } {
    const result = takeToken(this.buckets.get(key), now, policy);
    if (this.buckets.size >= this.maxKeys && !this.buckets.has(key)) this.sweep(now, policy);
    this.buckets.set(key, result.state);
    return { allowed: result.allowed, retryAfterMs: result.retryAfterMs };
  }

  private sweep(now: number, policy: TokenBucketPolicy): void {
    const idle = bucketIdleMs(policy);
    for (const [key, state] of this.buckets) if (now - state.at >= idle) this.buckets.delete(key);
  }
}

// ---- Growing lockouts after failures -------------------------------------------------------------------

/**
 * `freeFailures` failures cost nothing; each further one locks the key for `baseLockoutMs`, doubling per
 * failure up to `maxLockoutMs`. The count is forgotten `forgetAfterMs` after the last failure.
 */
export interface LockoutPolicy {
  freeFailures: number;
  baseLockoutMs: number;
  maxLockoutMs: number;
  forgetAfterMs: number;
}

export interface FailureRecord {
  failures: number;
  /** When the last failure happened (ms). */
  lastFailureAt: number;
}

/** The lockout that follows the `failures`-th failure. */
export function lockoutMs(failures: number, policy: LockoutPolicy): number {
  const over = failures - policy.freeFailures;
  if (over <= 0) return 0;
  // 2^over overflows to Infinity long after the cap; min() keeps it finite.
  return Math.min(policy.maxLockoutMs, policy.baseLockoutMs * 2 ** (over - 1));
}

/** How long `record` still locks its key at `now` (0: not locked). */
export function remainingLockoutMs(record: FailureRecord | null, now: number, policy: LockoutPolicy): number {
  if (!record || now - record.lastFailureAt >= policy.forgetAfterMs) return 0;
  return Math.max(0, record.lastFailureAt + lockoutMs(record.failures, policy) - now);
}

/** Port: failure counts by key. `recordFailure` is atomic (concurrent failures are all counted). */
export interface FailureStore {
  read(key: string, now: number): Promise<FailureRecord | null>;
  /** Counts one failure at `now`; the record expires `ttlMs` later unless another failure comes. */
  recordFailure(key: string, now: number, ttlMs: number): Promise<FailureRecord>;
  clear(key: string): Promise<void>;
}

/** Failure counts in this process's memory. */
export class MemoryFailureStore implements FailureStore {
  private readonly records = new Map<string, FailureRecord & { expiresAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async read(key: string, now: number): Promise<FailureRecord | null> {
    const record = this.records.get(key);
    if (!record) return null;
    if (record.expiresAt <= now) {
      this.records.delete(key);
      return null;
    }
    return { failures: record.failures, lastFailureAt: record.lastFailureAt };
  }

  async recordFailure(key: string, now: number, ttlMs: number): Promise<FailureRecord> {
    const current = await this.read(key, now);
    if (!current && this.records.size >= this.maxKeys) this.sweep(now);
    const next = { failures: (current?.failures ?? 0) + 1, lastFailureAt: now };
    this.records.set(key, { ...next, expiresAt: now + ttlMs });
    return next;
  }

  async clear(key: string): Promise<void> {
    this.records.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, record] of this.records) if (record.expiresAt <= now) this.records.delete(key);
  }
}
