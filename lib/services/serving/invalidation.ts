// The hook every write that can change what the serving API answers calls, AFTER its transaction has
// committed: a label added, moved, removed or rolled back (a change request applied included), a
// version written, a task deleted. It forgets the task's cached answers in this process at once
// (prompt-cache.ts says what other instances do). Calling it for a task that has nothing cached is free.
//
//   import { servedPromptChanged } from "@/lib/services/serving/invalidation";
//   await moveLabel(...);                                   // commits
//   servedPromptChanged({ projectId, taskName: task.name });

import { ServedPromptCache, servingCacheTtlMs } from "./prompt-cache";
import type { ServedPrompt } from "./resolve";

// On globalThis: Next.js may load this module once per route bundle, and every copy must share one
// cache, or a label moved through one route would not be seen by the serving route.
const CACHE = Symbol.for("strop.served-prompt-cache");
type WithCache = typeof globalThis & { [CACHE]?: ServedPromptCache<ServedPrompt> };

/** The process's resolved-prompt cache, built from the environment on first use. */
export function servedPromptCache(): ServedPromptCache<ServedPrompt> {
  const global = globalThis as WithCache;
  global[CACHE] ??= new ServedPromptCache<ServedPrompt>(servingCacheTtlMs());
  return global[CACHE];
}

/** Replaces (or with no argument, forgets, so the next use reads the environment again) the cache. */
export function setServedPromptCache(cache?: ServedPromptCache<ServedPrompt>): void {
  (globalThis as WithCache)[CACHE] = cache;
}

/** Call after a committed change of the task's labels or versions, or its deletion. */
export function servedPromptChanged(change: { projectId: string; taskName: string }): void {
  servedPromptCache().invalidateTask(change.projectId, change.taskName);
}
