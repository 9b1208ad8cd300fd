// Group commit of feedback: submissions that arrive within STROP_FEEDBACK_BATCH_MS (default 5 ms) of
// the first one waiting, or until STROP_FEEDBACK_BATCH_ROWS (default 100) are waiting, are written
// together (lib/db recordFeedbackBatch: one multi-row insert). Each caller is answered only once its row
// is committed, so nothing acknowledged is lost; a row that fails fails only its own request.
// STROP_FEEDBACK_BATCH_MS=0 writes each submission on its own. One writer per database handle, kept on
// globalThis so that the route bundles Next.js builds share it.
import {
  type Db,
  type FeedbackRecord,
  type FeedbackTarget,
  type FeedbackWrite,
  type NewFeedback,
  recordFeedbackBatch,
} from "@/lib/db";

type Env = Record<string, string | undefined>;

export interface FeedbackBatchSettings {
  /** How long the first waiting submission waits for others (ms); 0: no batching. */
  windowMs: number;
  /** A batch is written at once when this many wait. */
  maxRows: number;
}

export function feedbackBatchSettings(env: Env = process.env): FeedbackBatchSettings {
  const ms = Number(env.STROP_FEEDBACK_BATCH_MS);
  const rows = Number(env.STROP_FEEDBACK_BATCH_ROWS);
  return {
    windowMs:
      env.STROP_FEEDBACK_BATCH_MS !== undefined && Number.isFinite(ms) && ms >= 0 && ms <= 1000 ? ms : 5,
    maxRows: Number.isInteger(rows) && rows >= 1 && rows <= 1000 ? rows : 100,
  };
}

export interface FeedbackWriterStats {
  /** Write transactions issued (a batch is one; a fallback one per row). */
  transactions: number;
  /** Batches written, and the submissions they carried. */
  batches: number;
  submissions: number;
}

interface Waiting extends FeedbackWrite {
  resolve(value: { feedback: FeedbackRecord; replayed: boolean }): void;
  reject(error: unknown): void;
}

export class FeedbackWriter {
  readonly stats: FeedbackWriterStats = { transactions: 0, batches: 0, submissions: 0 };
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Db,
    private readonly settings: FeedbackBatchSettings = feedbackBatchSettings(),
  ) {}

  /** Resolves once the feedback (or the first with its key) is committed. */
  write(
    target: FeedbackTarget,
    input: NewFeedback,
  ): Promise<{ feedback: FeedbackRecord; replayed: boolean }> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ target, input, resolve, reject });
      if (this.waiting.length >= this.settings.maxRows || this.settings.windowMs === 0) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.settings.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.stats.batches += 1;
    this.stats.submissions += batch.length;
    // Batches are independent: the next one gathers while this one is written.
    recordFeedbackBatch(this.db, batch).then(
      ({ results, transactions }) => {
        this.stats.transactions += transactions;
        batch.forEach((w, i) => {
          const result = results[i];
          if (result?.ok) w.resolve({ feedback: result.feedback, replayed: result.replayed });
          else w.reject(result ? result.error : new Error("no result for this feedback"));
        });
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }
}

const WRITERS = Symbol.for("strop.feedback-writers");
type WithWriters = typeof globalThis & { [WRITERS]?: WeakMap<Db, FeedbackWriter> };

/** This process's writer for `db` (created with the environment's settings on first use). */
export function feedbackWriter(db: Db): FeedbackWriter {
  const global = globalThis as WithWriters;
  global[WRITERS] ??= new WeakMap();
  let writer = global[WRITERS].get(db);
  if (!writer) {
    writer = new FeedbackWriter(db);
    global[WRITERS].set(db, writer);
  }
  return writer;
}

/** Replaces the writer of `db` (tests and benchmarks choosing their settings). */
export function setFeedbackWriter(db: Db, writer: FeedbackWriter): void {
  const global = globalThis as WithWriters;
  global[WRITERS] ??= new WeakMap();
  global[WRITERS].set(db, writer);
}
