// What a recurring job (a schedule) tells the engine about itself. One definition per schedule
// (lib/services/schedules/<id>.ts), listed in lib/services/schedules/registry.ts; from it the engine
// derives both ways it runs: the Inngest cron function (inngest/functions/schedule-function.ts) and, on
// the embedded runner, a timer in the app process (started at boot by instrumentation.ts). Like job
// kinds, nothing here knows what a schedule does.
import { type Db, getDb } from "@/lib/db";
import type { JobTarget } from "./job-kind";
import { activeRunner } from "./runner-choice";

type Env = Record<string, string | undefined>;

/** What a tick is given besides the database. */
export interface ScheduleContext {
  env: Env;
  /** Hands a queued job to something else than the active runner (tests): schedules that queue jobs. */
  dispatch?: (target: JobTarget) => Promise<void>;
}

/** How often a schedule ticks: minutes from an environment setting (1 to 1440), else the default. */
export interface ScheduleInterval {
  env: string;
  defaultMinutes: number;
}

export interface ScheduleDefinition<TSummary = unknown> {
  /** The Inngest function id: deployed apps depend on it. */
  id: string;
  name: string;
  /** The id of the tick's one step (memoized by Inngest). */
  stepId: string;
  interval: ScheduleInterval;
  /**
   * One tick: idempotent, and safe when two instances (or two timers) tick at once on one database.
   * Returns a small summary (Inngest keeps it in the run's state; the embedded timer drops it).
   */
  tick(db: Db, context: ScheduleContext): Promise<TSummary>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds schedules of every summary shape.
export type AnySchedule = ScheduleDefinition<any>;

/** The schedule's interval in minutes: its setting when it is an integer from 1 to 1440, else the default. */
export function intervalMinutes(interval: ScheduleInterval, env: Env = process.env): number {
  const n = Number(env[interval.env]);
  return Number.isInteger(n) && n >= 1 && n <= 1440 ? n : interval.defaultMinutes;
}

/**
 * The cron of the Inngest function. Below an hour: every N minutes of the hour (`*\/N`); from an hour
 * on, cron's minute field cannot count that far, so it ticks every round(N / 60) hours (24: daily).
 */
export function scheduleCron(schedule: AnySchedule, env: Env = process.env): string {
  const minutes = intervalMinutes(schedule.interval, env);
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.min(24, Math.round(minutes / 60));
  return hours === 24 ? "0 0 * * *" : `0 */${hours} * * *`;
}

export interface ScheduleTimerOptions {
  env?: Env;
  db?: () => Promise<Db>;
  /** Where a failed tick is reported (default: the console). */
  onError?: (schedule: AnySchedule, error: Error) => void;
}

const TIMERS = Symbol.for("strop.schedule-timers");
type WithTimers = typeof globalThis & { [TIMERS]?: Map<string, ReturnType<typeof setInterval>> };

/**
 * With the embedded runner: the schedule as a timer in this process, ticking every interval. Null with
 * Inngest, whose cron function does it. One timer per schedule per process (kept on globalThis, so a
 * hot reload or a second bundle replaces it rather than adding one).
 */
export function startScheduleTimer(
  schedule: AnySchedule,
  options: ScheduleTimerOptions = {},
): { stop(): void } | null {
  const env = options.env ?? process.env;
  if (activeRunner(env) !== "embedded") return null;
  const global = globalThis as WithTimers;
  global[TIMERS] ??= new Map();
  const timers = global[TIMERS];
  const previous = timers.get(schedule.id);
  if (previous) clearInterval(previous);
  const openDb = options.db ?? getDb;
  const onError =
    options.onError ??
    ((s: AnySchedule, error: Error) => console.error(`[strop schedules] ${s.name} failed:`, error.message));
  const timer = setInterval(() => {
    openDb()
      .then((db) => schedule.tick(db, { env }))
      .catch((error) => onError(schedule, error as Error));
  }, intervalMinutes(schedule.interval, env) * 60_000);
  timer.unref?.();
  timers.set(schedule.id, timer);
  return {
    stop() {
      clearInterval(timer);
      if (timers.get(schedule.id) === timer) timers.delete(schedule.id);
    },
  };
}
