// Which runner executes durable jobs in this process, and this process's embedded runner.
//   STROP_RUNNER=inngest|embedded; default: inngest when INNGEST_EVENT_KEY or INNGEST_DEV is set,
//   else embedded (in the app process, STROP_MAX_CONCURRENT_RUNS jobs at a time).
import { EmbeddedRunner, maxConcurrentRuns } from "./embedded";

export type RunnerName = "inngest" | "embedded";

type Env = Record<string, string | undefined>;

function isSet(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/** The runner this process hands jobs to (also shown in the UI). */
export function activeRunner(env: Env = process.env): RunnerName {
  const chosen = env.STROP_RUNNER?.trim().toLowerCase();
  if (chosen === "inngest" || chosen === "embedded") return chosen;
  if (chosen) throw new Error(`STROP_RUNNER must be "inngest" or "embedded", got "${env.STROP_RUNNER}"`);
  return isSet(env.INNGEST_EVENT_KEY) || isSet(env.INNGEST_DEV) ? "inngest" : "embedded";
}

// One embedded runner per process, kept on globalThis so that every Next.js bundle (route handlers,
// instrumentation) and hot reload shares its queue and its concurrency bound.
const holder = globalThis as typeof globalThis & { __stropEmbeddedRunner?: EmbeddedRunner };

export function embeddedRunner(): EmbeddedRunner {
  holder.__stropEmbeddedRunner ??= new EmbeddedRunner(maxConcurrentRuns());
  return holder.__stropEmbeddedRunner;
}

/** This process's embedded runner if it was ever used (cancelling needs no new one). */
export function existingEmbeddedRunner(): EmbeddedRunner | undefined {
  return holder.__stropEmbeddedRunner;
}

/**
 * Resolves once this process no longer executes job `id`: a job being resumed must not be handed to the
 * embedded queue while its previous execution is still winding down, or the queue would take it for the
 * same submission.
 */
export async function stoppedHere(id: string): Promise<void> {
  await holder.__stropEmbeddedRunner?.running(id);
}
