// The start-run form's side of the run-spec contract (lib/validation/runs.ts): what it posts is typed
// from `RunSpecInput`, and the controls it shows messages next to are paths of it — a field renamed in
// the contract breaks this file at compile time instead of silently losing its message.
import type { ApiError } from "@/lib/http/client";
import type { RunSpecInput } from "@/lib/validation/runs";

/** A spec field as the form may send it: numbers as typed when they are not numbers (the API names them). */
type AsTyped<T> = T extends number
  ? number | string
  : T extends readonly (infer U)[]
    ? AsTyped<U>[]
    : T extends object
      ? { [K in keyof T]?: AsTyped<T[K]> }
      : T;

/** What the form posts: the run spec, each number possibly still as the user typed it. */
export type RunSpecDraft = AsTyped<RunSpecInput>;

type SpecKey = keyof RunSpecInput & string;
type SpecObject<K extends SpecKey> = Exclude<
  NonNullable<RunSpecInput[K]>,
  string | number | boolean | unknown[]
>;
/** A top-level field of the run spec, or a field of one of its objects ("stop.patience"). */
export type SpecPath = { [K in SpecKey]: K | `${K}.${keyof SpecObject<K> & string}` }[SpecKey];

/** The form's controls by the run-spec path they fill (the longest matching prefix wins). */
const CONTROL_PATHS = [
  "task",
  "promptVersion",
  "datasetVersionId",
  "models.task",
  "models.optimizer",
  "metrics",
  "optimizer.strategy",
  "optimizer.candidates",
  "optimizer.failures",
  "stop.maxIterations",
  "stop.patience",
  "stop.targetScore",
  "budget.calls",
  "budget.tokens",
  "budget.costUsd",
  "budget.wallSeconds",
  "splits.validation",
  "splits.test",
  "splits",
  "seed",
  "cache",
] as const satisfies readonly SpecPath[];

export type ControlPath = (typeof CONTROL_PATHS)[number];

const LONGEST_FIRST = [...CONTROL_PATHS].sort((a, b) => b.length - a.length);

/** The API's messages about body fields, by the control that shows them. */
export function errorsByControl(error: ApiError | null): Partial<Record<ControlPath, string>> {
  const out: Partial<Record<ControlPath, string>> = {};
  for (const issue of error?.issuesIn("body") ?? []) {
    const control = LONGEST_FIRST.find((c) => issue.path === c || issue.path.startsWith(`${c}.`));
    if (control && !out[control]) out[control] = issue.message;
  }
  return out;
}

/** "" → absent; a number → the number; anything else as typed, so the API names the field. */
export function numberOrRaw(value: FormDataEntryValue | null): number | string | undefined {
  const text = String(value ?? "").trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** The object without its undefined fields; undefined when none is left. */
function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

/** The run spec the form's fields describe (`modelRef` reads a model choice). */
export function runSpecFromForm(form: FormData, modelRef: (id: string) => string): RunSpecDraft {
  const promptVersion = String(form.get("promptVersion") ?? "");
  const spec: RunSpecDraft = {
    task: String(form.get("task") ?? ""),
    promptVersion: promptVersion ? numberOrRaw(promptVersion) : undefined,
    datasetVersionId: String(form.get("datasetVersionId") ?? ""),
    models: { task: modelRef("run-task-model"), optimizer: modelRef("run-optimizer-model") },
    metrics: form.getAll("metrics").map(String),
    optimizer: compact({
      strategy: String(form.get("strategy") ?? "") || undefined,
      candidates: numberOrRaw(form.get("candidates")),
      failures: numberOrRaw(form.get("failures")),
    }),
    stop: compact({
      maxIterations: numberOrRaw(form.get("maxIterations")),
      patience: numberOrRaw(form.get("patience")),
      targetScore: numberOrRaw(form.get("targetScore")),
    }),
    budget: compact({
      calls: numberOrRaw(form.get("budgetCalls")),
      tokens: numberOrRaw(form.get("budgetTokens")),
      costUsd: numberOrRaw(form.get("budgetCostUsd")),
      wallSeconds: numberOrRaw(form.get("budgetWallSeconds")),
    }),
    splits: compact({
      validation: numberOrRaw(form.get("splitValidation")),
      test: numberOrRaw(form.get("splitTest")),
    }),
    seed: numberOrRaw(form.get("seed")),
    cache: form.get("cache") ? undefined : { enabled: false },
  };
  return spec;
}
