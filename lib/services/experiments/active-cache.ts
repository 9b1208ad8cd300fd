// The running experiment of each task's label, as the serving path needs it, kept in memory like the
// resolved-prompt cache (serving/prompt-cache.ts: same TTL, same epoch rule) so that a served read with
// a subject costs no extra database round trip once warm. Starting, pausing, resuming or stopping an
// experiment, and an analysis that moves bandit weights, forget the task's entries in this process;
// other instances converge within the TTL.
import { type ActiveExperiment, type Db, findRunningExperiment } from "@/lib/db";
import { ServedPromptCache, servingCacheTtlMs } from "../serving/prompt-cache";

type Entry = { experiment: ActiveExperiment | null };

const CACHE = Symbol.for("strop.active-experiment-cache");
type WithCache = typeof globalThis & { [CACHE]?: ServedPromptCache<Entry> };

export function activeExperimentCache(): ServedPromptCache<Entry> {
  const global = globalThis as WithCache;
  global[CACHE] ??= new ServedPromptCache<Entry>(servingCacheTtlMs());
  return global[CACHE];
}

/** Replaces (or forgets, so the next use reads the environment again) the cache: tests. */
export function setActiveExperimentCache(cache?: ServedPromptCache<Entry>): void {
  (globalThis as WithCache)[CACHE] = cache;
}

/** The experiment running on the label (null: none), from memory when fresh. */
export async function runningExperimentOn(
  db: Db,
  projectId: string,
  taskName: string,
  label: string,
): Promise<ActiveExperiment | null> {
  const cache = activeExperimentCache();
  const key = ServedPromptCache.key(projectId, taskName, `label:${label}`);
  const cached = cache.get(key);
  if (cached) return cached.experiment;
  const epoch = cache.epoch();
  const experiment = await findRunningExperiment(db, projectId, taskName, label);
  cache.fill(key, projectId, taskName, { experiment }, epoch);
  return experiment;
}

/** Call after a committed change of which experiment runs on a task's label, or of its weights. */
export function runningExperimentsChanged(change: { projectId: string; taskName: string }): void {
  activeExperimentCache().invalidateTask(change.projectId, change.taskName);
}
