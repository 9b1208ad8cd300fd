// Transient database errors: the ones worth trying again because the next attempt may well succeed (the
// server restarted or dropped the connection, a serializable transaction lost a race, SQLite was busy),
// and a retry with backoff for them. Whoever retries must make the retried work safe to repeat: the job
// runners retry a step or a chunk, whose recorded work (checkpoints, rows marked done) is never redone.
//
// What is recognised, anywhere in an error's cause chain or in Prisma's `meta.driverAdapterError`:
//   PostgreSQL SQLSTATE  08xxx (connection exceptions), 57P01/57P02/57P03 (backend terminated, crash
//                        shutdown, cannot connect now), 40001 (serialization failure), 40P01 (deadlock),
//                        53300 (too many connections)
//   pg driver            "Connection terminated", "… connection error and is not queryable" (socket errors
//                        only as the adapters map them: a bare ECONNRESET may come from a provider call)
//   Prisma               P1001/P1002 (server unreachable), P1008 (timed out: also SQLite's BUSY), P1017
//                        (server closed the connection), P2034 (write conflict or deadlock), P2037 (too
//                        many connections), P2028 (transaction manager: could not start or lost its
//                        transaction), and the driver adapters' error kinds behind them
//   SQLite               SQLITE_BUSY*, SQLITE_LOCKED*

const PRISMA_TRANSIENT = new Set(["P1001", "P1002", "P1008", "P1017", "P2028", "P2034", "P2037"]);
const ADAPTER_KINDS = new Set([
  "ConnectionClosed",
  "DatabaseNotReachable",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionWriteConflict",
  "TransactionAlreadyClosed",
]);
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const TRANSIENT_MESSAGE =
  /connection terminated|terminating connection|connection error and is not queryable|server closed the connection|database is locked|database table is locked/i;

function isPostgresTransient(code: string): boolean {
  return (
    /^08[0-9A-Z]{3}$/.test(code) || ["57P01", "57P02", "57P03", "40001", "40P01", "53300"].includes(code)
  );
}

function isSqliteTransient(code: string): boolean {
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

/** The error, its causes and the driver adapter error Prisma keeps in `meta` (depth-limited). */
function* errorChain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield record;
    queue.push(record.cause);
    const meta = record.meta as { driverAdapterError?: unknown } | undefined;
    if (meta && typeof meta === "object") queue.push(meta.driverAdapterError);
    if (Array.isArray(record.errors)) queue.push(...record.errors);
  }
}

function isTransientPart(part: Record<string, unknown>): boolean {
  for (const key of ["code", "originalCode"] as const) {
    const code = part[key];
    if (typeof code !== "string") continue;
    if (PRISMA_TRANSIENT.has(code)) return true;
    if (isPostgresTransient(code) || isSqliteTransient(code)) return true;
  }
  if (typeof part.kind === "string") {
    if (ADAPTER_KINDS.has(part.kind)) return true;
    const extended = part.extendedCode;
    if (part.kind === "sqlite" && typeof extended === "number") {
      const primary = extended & 0xff;
      if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) return true;
    }
  }
  return typeof part.message === "string" && TRANSIENT_MESSAGE.test(part.message);
}

/** True when `error` (or a cause of it) is a database failure that may pass: retrying makes sense. */
export function isTransientDbError(error: unknown): boolean {
  for (const part of errorChain(error)) if (isTransientPart(part)) return true;
  return false;
}

/**
 * True when `error` comes from Prisma or a database driver: its message may hold a query, a call site
 * or server text, so it never goes to a client (nor into a stored job error) as it is.
 */
export function isDatabaseError(error: unknown): boolean {
  for (const part of errorChain(error)) {
    const name = typeof part.name === "string" ? part.name : "";
    if (name.startsWith("PrismaClient") || name === "DriverAdapterError") return true;
    if (typeof part.clientVersion === "string") return true;
    if (typeof part.message === "string" && /Invalid `[^`]*` invocation/.test(part.message)) return true;
    if (typeof part.severity === "string" && typeof part.code === "string") return true; // pg's DatabaseError
    if (isTransientPart(part)) return true;
  }
  return false;
}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 7: 6–11 s of backoff in all before giving up). */
  attempts?: number;
  /** The first delay (default 200 ms); each next one doubles, up to `maxDelayMs` (default 5 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Stops waiting (and retrying) when aborted: the abort reason is thrown. */
  signal?: AbortSignal;
  /** Told about each retry (default: one line on the server log). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_DB_RETRY_ATTEMPTS = 7;

/** A short description of a transient error for logs: its code (or the telling words), not its message. */
export function transientErrorCode(error: unknown): string {
  let words: string | null = null;
  for (const part of errorChain(error)) {
    for (const key of ["originalCode", "code", "kind"] as const) {
      const value = part[key];
      // P2010/P2039 say only "a raw query / the database failed": the driver's code says more.
      if (typeof value === "string" && value !== "P2039" && value !== "P2010") return value;
    }
    if (!words && typeof part.message === "string") words = TRANSIENT_MESSAGE.exec(part.message)?.[0] ?? null;
  }
  return words?.toLowerCase() ?? "unknown";
}

function logRetry(error: unknown, attempt: number, delayMs: number): void {
  console.warn(
    `[strop db] transient database error (${transientErrorCode(error)}); attempt ${attempt} failed, retrying in ${delayMs} ms`,
  );
}

function abortable(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `fn`, and runs it again after a transient database error, with exponential backoff and jitter
 * (each delay between half and all of base·2^(n−1), capped). Other errors, and the last transient one,
 * are thrown as they are. `fn` must be safe to repeat.
 */
export async function retryTransient<T>(fn: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? DEFAULT_DB_RETRY_ATTEMPTS);
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 5_000;
  const sleep = policy.sleep ?? abortable;
  const random = policy.random ?? Math.random;
  const onRetry = policy.onRetry ?? logRetry;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error)) throw error;
      if (policy.signal?.aborted) throw policy.signal.reason;
      const ceiling = Math.min(max, base * 2 ** (attempt - 1));
      const delay = Math.round(ceiling / 2 + (ceiling / 2) * random());
      onRetry(error, attempt, delay);
      await sleep(delay, policy.signal);
    }
  }
}
