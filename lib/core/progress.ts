// Live progress of a run: which step, how far, what it has cost so far.
import type { Usage } from "./meter";
import type { Clock, ProgressSink } from "./ports";

export class ProgressTracker {
  private step = "starting";
  private iteration = 0;
  private done = 0;
  private total = 0;
  private stepStartedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly runStartedAt: number,
    private readonly totals: Usage,
    private readonly sink?: ProgressSink,
  ) {
    this.stepStartedAt = clock.now();
  }

  begin(step: string, iteration: number, total: number): void {
    this.step = step;
    this.iteration = iteration;
    this.done = 0;
    this.total = total;
    this.stepStartedAt = this.clock.now();
    this.emit();
  }

  advance(count: number): void {
    this.done = Math.min(this.total, this.done + count);
    this.emit();
  }

  private emit(): void {
    if (!this.sink) return;
    const now = this.clock.now();
    const stepElapsed = now - this.stepStartedAt;
    this.sink({
      step: this.step,
      iteration: this.iteration,
      done: this.done,
      total: this.total,
      calls: this.totals.calls,
      failedCalls: this.totals.failedCalls,
      inputTokens: this.totals.inputTokens,
      outputTokens: this.totals.outputTokens,
      costUsd: this.totals.costUsd,
      elapsedMs: now - this.runStartedAt,
      // ETA of the current step, from its pace so far.
      etaMs: this.done > 0 ? Math.round((stepElapsed / this.done) * (this.total - this.done)) : null,
    });
  }
}
