// Sign-in limits: failures are counted per account (the email as typed, normalized — also for unknown
// emails, so a refusal says nothing about whether an account exists) and per client address. After a
// few free failures, each further one locks the key for a growing time (lib/core/rate-limit.ts). While
// either key is locked, every attempt is refused before the password is checked, the right one too.
// A success forgets the account's failures, not the address's (one good account must not reset the
// count of an address that guesses at others).
import { createHash } from "node:crypto";
import {
  type FailureStore,
  type LockoutPolicy,
  MemoryFailureStore,
  remainingLockoutMs,
} from "@/lib/core/rate-limit";
import type { Env } from "./client-address";
import { type SignInLimitSettings, signInLimitSettings } from "./limit-settings";
import { FallbackFailureStore, limitsRedis, RedisFailureStore, redisUrlOf } from "./limit-stores";

export interface SignInAttempt {
  /** Normalized (trimmed, lower-cased). */
  email: string;
  /** The client address (client-address.ts); null when unknown: then only the account is limited. */
  ip: string | null;
}

const accountKey = (email: string) =>
  `signin:account:${createHash("sha256").update(email).digest("base64url").slice(0, 32)}`;
const addressKey = (ip: string) => `signin:ip:${ip}`;

export class SignInLimiter {
  constructor(
    private readonly store: FailureStore,
    readonly settings: SignInLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the attempt must still wait (0: it may go ahead). */
  async lockedForMs(attempt: SignInAttempt): Promise<number> {
    const now = this.now();
    const [account, address] = await Promise.all([
      this.store.read(accountKey(attempt.email), now),
      attempt.ip ? this.store.read(addressKey(attempt.ip), now) : null,
    ]);
    return Math.max(
      remainingLockoutMs(account, now, this.settings.account),
      remainingLockoutMs(address, now, this.settings.address),
    );
  }

  /** Counts a failed attempt against the account and the address. */
  async recordFailure(attempt: SignInAttempt): Promise<void> {
    const now = this.now();
    // Kept until forgotten, and never shorter than the longest lockout.
    const keep = (policy: LockoutPolicy) => Math.max(policy.forgetAfterMs, policy.maxLockoutMs);
    await Promise.all([
      this.store.recordFailure(accountKey(attempt.email), now, keep(this.settings.account)),
      attempt.ip
        ? this.store.recordFailure(addressKey(attempt.ip), now, keep(this.settings.address))
        : undefined,
    ]);
  }

  /** A successful sign-in: the account starts afresh. */
  async recordSuccess(attempt: SignInAttempt): Promise<void> {
    await this.store.clear(accountKey(attempt.email));
  }
}

const LIMITER = Symbol.for("strop.sign-in-limiter");
type WithLimiter = typeof globalThis & { [LIMITER]?: SignInLimiter };

/** The process's limiter, from the environment: shared through Redis when REDIS_URL is set. */
export function signInLimiter(env: Env = process.env): SignInLimiter {
  const global = globalThis as WithLimiter;
  if (!global[LIMITER]) {
    const url = redisUrlOf(env);
    const store = url
      ? new FallbackFailureStore(new RedisFailureStore(limitsRedis(url)))
      : new MemoryFailureStore();
    global[LIMITER] = new SignInLimiter(store, signInLimitSettings(env));
  }
  return global[LIMITER];
}

/** Replaces (or with no argument, forgets) the process's limiter: tests. */
export function setSignInLimiter(limiter?: SignInLimiter): void {
  (globalThis as WithLimiter)[LIMITER] = limiter;
}
