// The cache in the application database (the default: nothing to run besides Strop). Rows are read and
// written through a repository the caller passes in (lib/db/llm-cache.ts), so lib/llm never imports
// Prisma. Lookups and writes of concurrent calls are batched: lookups issued while a query runs go
// together in the next one (one query for many keys); writes are collected for up to 100 ms and land
// in one transaction (with SQLite, every commit is a synchronous fsync that stalls the process). Until
// its row is written, a response is still served to identical requests from the in-flight table.
// Expired rows are ignored on read and swept now and then.
import type { CacheStore } from "./cache";

/** What lib/db/llm-cache.ts provides, bound to a client. */
export interface LlmCacheRepository {
  getMany(keys: readonly string[], now: Date): Promise<Map<string, string>>;
  putMany(entries: readonly { key: string; value: string; expiresAt: Date }[]): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes expired rows; returns how many. */
  sweep(now: Date): Promise<number>;
}

export interface DbCacheOptions {
  /** Sweep expired rows at most this often (default hourly); the first sweep runs with the first write. */
  sweepEveryMs?: number;
  /** Most keys or rows per statement (default 500). */
  maxBatch?: number;
  /** How long writes are collected before they are written together (default 100 ms). */
  writeDelayMs?: number;
}

/**
 * Collects items while a flush is running (or for `delayMs`, at least until the current tick ends) and
 * hands them to `flush` together; each item's promise settles with the outcome of its batch.
 */
class Batcher<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<(item: T) => R>,
    private readonly maxBatch: number,
    private readonly delayMs = 0,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      void this.run();
    };
    if (this.delayMs > 0 && this.pending.length < this.maxBatch) setTimeout(go, this.delayMs);
    else setImmediate(go);
  }

  private async run(): Promise<void> {
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    const batch = this.pending.splice(0, this.maxBatch);
    try {
      const result = await this.flush(batch.map((p) => p.item));
      for (const p of batch) p.resolve(result(p.item));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.running = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}

export function createDbCacheStore(repository: LlmCacheRepository, options: DbCacheOptions = {}): CacheStore {
  const sweepEveryMs = options.sweepEveryMs ?? 3_600_000;
  const maxBatch = options.maxBatch ?? 500;
  let lastSweep = Number.NEGATIVE_INFINITY;
  const reads = new Batcher<{ key: string; now: number }, string | undefined>(async (items) => {
    const now = Math.min(...items.map((i) => i.now));
    const found = await repository.getMany([...new Set(items.map((i) => i.key))], new Date(now));
    return (item) => found.get(item.key);
  }, maxBatch);
  const writes = new Batcher<{ key: string; value: string; expiresAt: Date; now: number }, void>(
    async (items) => {
      // The last write of a key wins.
      const byKey = new Map(items.map((i) => [i.key, i]));
      await repository.putMany(
        [...byKey.values()].map(({ key, value, expiresAt }) => ({ key, value, expiresAt })),
      );
      const now = Math.max(...items.map((i) => i.now));
      if (now - lastSweep >= sweepEveryMs) {
        lastSweep = now;
        await repository.sweep(new Date(now));
      }
      return () => undefined;
    },
    maxBatch,
    options.writeDelayMs ?? 100,
  );
  return {
    get: (key, now) => reads.add({ key, now }),
    set: (key, value, ttlMs, now) => writes.add({ key, value, expiresAt: new Date(now + ttlMs), now }),
    delete: (key) => repository.delete(key),
  };
}
