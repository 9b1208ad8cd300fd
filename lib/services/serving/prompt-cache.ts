// The resolved-prompt cache of the serving API: what `GET …/prompts/{name}?label=|version=` answered,
// kept in this process's memory so that a repeated read costs no database round trip.
// - Entries live `ttlMs` (STROP_SERVING_CACHE_SECONDS, default 5 s; 0 turns the cache off).
// - Every change that can alter an answer — a label added, moved, removed or rolled back, a version
//   written, a task deleted — calls `servedPromptChanged` (invalidation.ts) once it has committed: this
//   process forgets the task's entries at once. Another instance of the app keeps its entries until they
//   expire, so it may serve the previous version for at most the TTL after the change.
// - A read that started before a change must not store what it read after the change forgot the
//   entries: `fill` only stores when no invalidation happened since `epoch()` was taken.

export interface CacheSettingsEnv {
  [name: string]: string | undefined;
}

export const SERVING_CACHE_ENV = "STROP_SERVING_CACHE_SECONDS";
export const DEFAULT_SERVING_CACHE_SECONDS = 5;

/** The TTL in ms from the environment (a bad value falls back to the default). */
export function servingCacheTtlMs(env: CacheSettingsEnv = process.env): number {
  const raw = env[SERVING_CACHE_ENV]?.trim();
  const seconds = raw && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : DEFAULT_SERVING_CACHE_SECONDS;
  return Math.round(seconds * 1000);
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  /** projectId + "\n" + task name: what `invalidateTask` matches. */
  task: string;
}

const taskKey = (projectId: string, taskName: string) => `${projectId}\n${taskName}`;

export class ServedPromptCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private invalidations = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  static key(projectId: string, taskName: string, selector: string): string {
    return `${taskKey(projectId, taskName)}\n${selector}`;
  }

  /** Taken before a read from the database; passed back to `fill`. */
  epoch(): number {
    return this.invalidations;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` unless the cache is off or something was invalidated since `epoch`. */
  fill(key: string, projectId: string, taskName: string, value: V, epoch: number): void {
    if (this.ttlMs <= 0 || epoch !== this.invalidations) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs, task: taskKey(projectId, taskName) });
  }

  /** Forgets every entry of the task (all labels and versions). */
  invalidateTask(projectId: string, taskName: string): void {
    this.invalidations++;
    const task = taskKey(projectId, taskName);
    for (const [key, entry] of this.entries) if (entry.task === task) this.entries.delete(key);
  }

  /** Forgets everything (tests, and changes that are not about one task). */
  clear(): void {
    this.invalidations++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
