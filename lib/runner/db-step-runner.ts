// The inline StepRunner: each finished step's result is stored, so a run that stops for any reason
// continues from its last finished step and never pays for a step twice.
import type { StepRunner } from "@/lib/core/ports";
import { type Db, getCheckpoint, saveCheckpoint } from "@/lib/db";

export function createDbStepRunner(
  db: Db,
  runId: string,
): StepRunner & { executed: number; replayed: number } {
  const runner = {
    executed: 0,
    replayed: 0,
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const stored = await getCheckpoint(db, runId, id);
      if (stored !== undefined) {
        runner.replayed++;
        return stored as T;
      }
      const value = await fn();
      // Store what a replay will return: the JSON form of the value.
      const json = JSON.parse(JSON.stringify(value ?? null)) as T;
      await saveCheckpoint(db, runId, id, json);
      runner.executed++;
      return json;
    },
    async sleep(_id: string, ms: number) {
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
  return runner;
}
