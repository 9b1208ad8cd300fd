// Every kind of durable job the app runs: the Inngest functions, the resume at start, the lease poller
// and the docs are derived from this list. A new kind is one file in this folder plus one line here.
import type { AnyJobKind } from "@/lib/runner/job-kind";
import { batchJob } from "./batch";
import { experimentAnalysisJob } from "./experiment-analysis";
import { experimentPromotionJob } from "./experiment-promotion";
import { optimizationRunJob } from "./optimization-run";

export const jobKinds: readonly AnyJobKind[] = [
  optimizationRunJob,
  batchJob,
  experimentAnalysisJob,
  experimentPromotionJob,
];

/** The registered kind with id `id`. */
export function jobKind(id: string): AnyJobKind {
  const kind = jobKinds.find((k) => k.id === id);
  if (!kind) throw new Error(`no job kind "${id}" (registered: ${jobKinds.map((k) => k.id).join(", ")})`);
  return kind;
}
