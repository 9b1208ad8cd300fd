// The embedded runner: optimization runs execute inside the app process, at most `maxConcurrent` at a
// time (the rest wait in order). The executor (lib/services) checkpoints every finished step in the
// database, so runs left behind by a stopped process resume where they stopped on the next start.
import { RunCancelledError } from "./guard";

/** Executes one stored run; `signal` aborts when the run is cancelled. Records its own outcome. */
export type RunExecutor = (runId: string, signal: AbortSignal) => Promise<unknown>;

export const DEFAULT_MAX_CONCURRENT_RUNS = 2;

/** STROP_MAX_CONCURRENT_RUNS (default 2): how many runs one app process executes at once. */
export function maxConcurrentRuns(env: Record<string, string | undefined> = process.env): number {
  const raw = env.STROP_MAX_CONCURRENT_RUNS?.trim();
  if (!raw) return DEFAULT_MAX_CONCURRENT_RUNS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`STROP_MAX_CONCURRENT_RUNS must be a positive integer, got "${raw}"`);
  }
  return n;
}

interface Waiting {
  runId: string;
  execute: RunExecutor;
}

export type SubmitResult = "started" | "queued" | "already-submitted";

export class EmbeddedRunner {
  private readonly waiting: Waiting[] = [];
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly maxConcurrent: number,
    private readonly log: (message: string, error?: unknown) => void = (message, error) =>
      console.error(`[strop runner] ${message}`, error ?? ""),
  ) {}

  /** Queues a run (no-op when it is already queued or running here) and starts it when a slot is free. */
  submit(runId: string, execute: RunExecutor): SubmitResult {
    if (this.active.has(runId) || this.waiting.some((w) => w.runId === runId)) return "already-submitted";
    this.waiting.push({ runId, execute });
    this.pump();
    return this.active.has(runId) ? "started" : "queued";
  }

  /** Drops a waiting run, or aborts a running one. False when this process does not hold the run. */
  cancel(runId: string): boolean {
    const index = this.waiting.findIndex((w) => w.runId === runId);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.settle();
      return true;
    }
    const running = this.active.get(runId);
    if (!running) return false;
    running.controller.abort(new RunCancelledError());
    return true;
  }

  /** Ids of the runs executing now and of those waiting for a slot, in order. */
  snapshot(): { running: string[]; waiting: string[] } {
    return { running: [...this.active.keys()], waiting: this.waiting.map((w) => w.runId) };
  }

  /** How many jobs execute now and how many wait for a slot (read at every metrics scrape: no copies). */
  depth(): { running: number; waiting: number } {
    return { running: this.active.size, waiting: this.waiting.length };
  }

  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.active.size === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The promise of a run executing here (undefined when it is not running in this process). */
  running(runId: string): Promise<void> | undefined {
    return this.active.get(runId)?.done;
  }

  private pump(): void {
    while (this.active.size < this.maxConcurrent && this.waiting.length > 0) {
      const next = this.waiting.shift() as Waiting;
      const controller = new AbortController();
      const done = Promise.resolve()
        .then(() => next.execute(next.runId, controller.signal))
        .then(
          () => {},
          (error: unknown) => this.log(`run ${next.runId} stopped with an error`, error),
        )
        .finally(() => {
          this.active.delete(next.runId);
          this.pump();
          this.settle();
        });
      this.active.set(next.runId, { controller, done });
    }
  }

  private settle(): void {
    if (this.active.size > 0 || this.waiting.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
