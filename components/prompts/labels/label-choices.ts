// What the label forms offer: the task's versions and its finished runs (the evaluation a change can
// cite), passed down from the task page.
import type { ApiError } from "@/lib/http/client";

export interface CitableRun {
  id: string;
  kind: "optimize" | "eval";
  /** "v2 0.81 → 0.88" or "0.84": what the run found, for the option's label. */
  summary: string;
  createdAt: string;
}

export interface LabelChoices {
  /** Version numbers, newest first. */
  versions: number[];
  /** The task's newest succeeded runs, newest first. */
  runs: CitableRun[];
}

export const RESERVED_LABELS = ["production", "staging"] as const;

export function runOptionLabel(run: CitableRun): string {
  return `${run.kind === "eval" ? "Evaluation" : "Optimization"} ${run.id.slice(0, 8)} · ${run.summary} · ${run.createdAt.slice(0, 10)}`;
}

/** The variables a refused move names (409 variables_changed), or null for any other error. */
export function variablesChangedBy(error: unknown): string[] | null {
  const e = error as ApiError | null;
  return e && e.code === "variables_changed" ? (e.details.variables ?? []) : null;
}

export function isProtectedRefusal(error: unknown): boolean {
  return (error as ApiError | null)?.code === "protected_label";
}
