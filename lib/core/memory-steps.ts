// A StepRunner that memoizes in memory: for tests and for replaying a run from stored checkpoints.
import type { StepRunner } from "./ports";

export interface MemoryStepRunner extends StepRunner {
  /** Step ids in the order they first ran (replays not included). */
  readonly executed: string[];
  readonly results: Map<string, unknown>;
}

export function createMemoryStepRunner(initial: Map<string, unknown> = new Map()): MemoryStepRunner {
  const results = new Map(initial);
  const executed: string[] = [];
  return {
    executed,
    results,
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      if (results.has(id)) return structuredClone(results.get(id)) as T;
      const value = await fn();
      // Store a JSON round-trip, as a durable runner would, so tests see what a replay would see.
      const stored = JSON.parse(JSON.stringify(value ?? null));
      results.set(id, stored);
      executed.push(id);
      return structuredClone(stored) as T;
    },
    async sleep() {},
  };
}
