// Provider rate limits as token buckets, one per provider credential and kind (requests, tokens).
// A call *reserves* its cost: the balance may go below zero and the caller sleeps until the refill
// covers it. Reservations are granted in arrival order, bursts are capped at one second's worth (at
// least one call), and the long-run rate never exceeds the limit. Token costs are estimated before the
// call (prompt length, output cap) and corrected afterwards with the real usage. This file is the
// in-process limiter; redis-rate-limit.ts holds the same algorithm shared by many processes.
import type { ChatMessage } from "../../core/types";

export interface RateLimitConfig {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** One bucket touched by a reservation. `cost` may be negative (a refund). */
export interface BucketCharge {
  key: string;
  /** Refill in units per millisecond. */
  perMs: number;
  capacity: number;
  cost: number;
}

export interface RateLimiter {
  /** Charges every bucket and returns the milliseconds to wait before the call may start. */
  reserve(charges: readonly BucketCharge[]): Promise<number>;
  /** Charges (or, with negative costs, refunds) without waiting: the correction after a call. */
  adjust(charges: readonly BucketCharge[]): Promise<void>;
  close?(): Promise<void>;
}

/** A bucket refilled at `perMinute / 60` per second, holding at most one second's worth (at least 1). */
export function bucket(key: string, perMinute: number, cost: number): BucketCharge {
  const perMs = perMinute / 60_000;
  return { key, perMs, capacity: Math.max(1, perMs * 1000), cost };
}

interface BucketState {
  tokens: number;
  at: number;
}

/** Per-process buckets. `now` is injectable for tests. */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  reserve(charges: readonly BucketCharge[]): Promise<number> {
    return Promise.resolve(this.charge(charges));
  }

  adjust(charges: readonly BucketCharge[]): Promise<void> {
    this.charge(charges);
    return Promise.resolve();
  }

  /** The balance of a bucket now (for tests and diagnostics). */
  balance(charge: Pick<BucketCharge, "key" | "perMs" | "capacity">): number {
    const state = this.buckets.get(charge.key);
    if (!state) return charge.capacity;
    return Math.min(charge.capacity, state.tokens + (this.now() - state.at) * charge.perMs);
  }

  private charge(charges: readonly BucketCharge[]): number {
    const now = this.now();
    let wait = 0;
    for (const charge of charges) {
      const state = this.buckets.get(charge.key) ?? { tokens: charge.capacity, at: now };
      state.tokens = Math.min(charge.capacity, state.tokens + (now - state.at) * charge.perMs) - charge.cost;
      state.at = now;
      this.buckets.set(charge.key, state);
      if (state.tokens < 0) wait = Math.max(wait, -state.tokens / charge.perMs);
    }
    return wait;
  }
}

// Kept on globalThis so that every gateway in a process (and Next.js hot reloads) share the buckets.
const holder = globalThis as typeof globalThis & { __stropRateLimiter?: LocalRateLimiter };

/** The process-wide buckets: gateways created separately still respect one limit per credential. */
export function processRateLimiter(): LocalRateLimiter {
  holder.__stropRateLimiter ??= new LocalRateLimiter();
  return holder.__stropRateLimiter;
}

/** A rough token count of a prompt: ~4 characters per token plus a few per message. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const message of messages) chars += message.content.length;
  return Math.ceil(chars / 4) + 4 * messages.length;
}
