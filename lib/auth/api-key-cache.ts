// Verified API keys, kept in this process's memory for a short time. Every API request authenticates,
// and the serving API answers from memory otherwise: a database read of the key and its project per
// request would be most of its cost.
// - Keyed by the sha256 of the whole key (the key itself is never kept), holding the key's principal and
//   its project (projects are never renamed or deleted, and a key's role never changes).
// - An entry lives `ttlMs` (STROP_API_KEY_CACHE_SECONDS, default 10 s; 0 turns the cache off).
// - Revoking a key forgets it in this process at once (`forgetKey`, called by the revocation). Another
//   instance of the app keeps accepting a revoked key until its entry expires: at most the TTL after
//   the revocation committed.
// - A verification that read the key before a revocation must not store it after the revocation forgot
//   it: `remember` only stores when no key was forgotten since `epoch()` was taken.
import type { ProjectRecord } from "@/lib/db";
import type { Env } from "./client-address";
import type { ApiKeyPrincipal } from "./principal";

export const API_KEY_CACHE_ENV = "STROP_API_KEY_CACHE_SECONDS";
export const DEFAULT_API_KEY_CACHE_SECONDS = 10;
/** A key's last use is stamped in the database at most this often (lib/db/api-keys.ts: touchApiKey). */
export const TOUCH_INTERVAL_MS = 60_000;

/** The TTL in ms from the environment (a bad value falls back to the default). */
export function apiKeyCacheTtlMs(env: Env = process.env): number {
  const raw = env[API_KEY_CACHE_ENV]?.trim();
  const seconds = raw && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : DEFAULT_API_KEY_CACHE_SECONDS;
  return Math.round(seconds * 1000);
}

export interface VerifiedApiKey {
  hash: string;
  principal: ApiKeyPrincipal;
  project: ProjectRecord;
  expiresAt: number;
  /** When this process last stamped the key's last use. */
  touchedAt: number;
}

export class ApiKeyCache {
  private readonly byHash = new Map<string, VerifiedApiKey>();
  private readonly byKeyId = new Map<string, VerifiedApiKey>();
  private forgotten = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Taken before the key is read from the database; passed back to `remember`. */
  epoch(): number {
    return this.forgotten;
  }

  /** The verified key with this hash, unless it expired. */
  get(hash: string): VerifiedApiKey | undefined {
    const entry = this.byHash.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.drop(entry);
      return undefined;
    }
    return entry;
  }

  /** The project of a cached key when it has this slug (access checks of the key's own project). */
  projectOf(keyId: string, slug: string): ProjectRecord | undefined {
    const entry = this.byKeyId.get(keyId);
    if (!entry || entry.expiresAt <= this.now() || entry.project.slug !== slug) return undefined;
    return entry.project;
  }

  /** Stores a key just verified against the database, unless a key was forgotten since `epoch`. */
  remember(hash: string, principal: ApiKeyPrincipal, project: ProjectRecord, epoch: number): void {
    if (this.ttlMs <= 0 || epoch !== this.forgotten) return;
    const previous = this.byHash.get(hash);
    if (previous) this.drop(previous);
    if (this.byHash.size >= this.maxEntries) {
      const oldest = this.byHash.values().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    const now = this.now();
    const entry = { hash, principal, project, expiresAt: now + this.ttlMs, touchedAt: now };
    this.byHash.set(hash, entry);
    this.byKeyId.set(principal.keyId, entry);
  }

  /** True (and the clock reset) when the key's last use is due to be stamped again. */
  touchDue(entry: VerifiedApiKey): boolean {
    const now = this.now();
    if (now - entry.touchedAt < TOUCH_INTERVAL_MS) return false;
    entry.touchedAt = now;
    return true;
  }

  /** Forgets a key (its revocation committed): the next request with it is checked in the database. */
  forgetKey(keyId: string): void {
    this.forgotten++;
    const entry = this.byKeyId.get(keyId);
    if (entry) this.drop(entry);
  }

  clear(): void {
    this.forgotten++;
    this.byHash.clear();
    this.byKeyId.clear();
  }

  get size(): number {
    return this.byHash.size;
  }

  private drop(entry: VerifiedApiKey): void {
    this.byHash.delete(entry.hash);
    if (this.byKeyId.get(entry.principal.keyId) === entry) this.byKeyId.delete(entry.principal.keyId);
  }
}

// On globalThis: Next.js may load this module once per route bundle; the revocation route and every
// authenticating route must share one cache.
const CACHE = Symbol.for("strop.api-key-cache");
type WithCache = typeof globalThis & { [CACHE]?: ApiKeyCache };

/** The process's cache of verified keys, built from the environment on first use. */
export function apiKeyCache(): ApiKeyCache {
  const global = globalThis as WithCache;
  global[CACHE] ??= new ApiKeyCache(apiKeyCacheTtlMs());
  return global[CACHE];
}

/** Replaces (or with no argument, forgets, so the next use reads the environment again) the cache. */
export function setApiKeyCache(cache?: ApiKeyCache): void {
  (globalThis as WithCache)[CACHE] = cache;
}

/** Call once a key's revocation committed. */
export function forgetRevokedApiKey(keyId: string): void {
  apiKeyCache().forgetKey(keyId);
}
