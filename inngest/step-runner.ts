// The StepRunner port over Inngest's step tools: every workflow step is a `step.run` with the workflow's
// own stable id (memoized by Inngest, retried with backoff when its body throws), `sleep` is `step.sleep`.
import { NonRetriableError } from "inngest";
import type { StepRunner } from "@/lib/core/ports";
import { isRunCancelled } from "@/lib/runner/guard";

/** The part of Inngest's `step` the port needs. */
export interface InngestStepTools {
  run(id: string, fn: () => Promise<unknown>): Promise<unknown>;
  sleep(id: string, duration: number): Promise<unknown>;
}

export function inngestStepRunner(step: InngestStepTools): StepRunner {
  return {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const value = await step.run(id, async () => {
        try {
          return await fn();
        } catch (error) {
          // Retrying a cancelled run's step would only pay for it again.
          if (isRunCancelled(error)) throw new NonRetriableError((error as Error).message, { cause: error });
          throw error;
        }
      });
      // Inngest stores a step's JSON form; a step that returned undefined reads back as null (as with
      // the database runner).
      return (value ?? null) as T;
    },
    async sleep(id: string, ms: number): Promise<void> {
      await step.sleep(id, ms);
    },
  };
}
