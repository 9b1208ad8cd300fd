// A fair FIFO queue in front of a model: at most `limit` calls run at once; the others wait in arrival
// order (no flooding, no starvation). A waiter whose signal aborts leaves the queue.

/** Gives the slot back; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  /** Set once the waiter left the queue (granted or aborted). */
  done: boolean;
}

export class FifoQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private head = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`queue limit must be a positive integer`);
  }

  /** Calls running now. */
  get running(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    let n = 0;
    for (let i = this.head; i < this.waiters.length; i++) if (!this.waiters[i]?.done) n++;
    return n;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // A free slot means nobody is waiting (releases hand slots to waiters first): take it.
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        done: false,
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        if (waiter.done) return;
        waiter.done = true;
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.next();
    };
  }

  private next(): void {
    while (this.active < this.limit && this.head < this.waiters.length) {
      const waiter = this.waiters[this.head++] as Waiter;
      if (waiter.done) continue;
      waiter.done = true;
      this.active++;
      waiter.grant(this.releaser());
    }
    // Compact once the consumed prefix dominates, so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
  }
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("The operation was aborted.", "AbortError");
}

/** Waits `ms` (0 resolves on the next microtask); rejects with the signal's reason on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
