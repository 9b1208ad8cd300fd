"use client";

// Start an optimization run (editor+): task and prompt version, dataset version, task and optimizer
// models (a model configuration of the project by name, the offline simulator, or any "provider:model"
// id), metrics, strategy and K, stop rules and budget. Posts the run spec (lib/validation/runs.ts) as
// JSON; on 202 opens the run's live page, on 4xx names the field next to its control and above the form.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";

export interface StartRunChoices {
  /** Tasks with their version numbers, newest first. */
  tasks: { name: string; description: string; versions: number[] }[];
  datasets: { name: string; versions: { id: string; version: number; rowCount: number }[] }[];
  modelConfigs: { name: string; model: string }[];
  metricConfigs: { name: string; metric: string }[];
  /** Registered metrics (lib/metrics/registry). */
  metrics: { name: string; description: string; usesLlm: boolean }[];
  /** Optimizer strategies (lib/optimizers/registry). */
  strategies: { name: string; description: string }[];
  /** Offline simulator models, always available. */
  simModels: string[];
  runner: string;
}

interface Issue {
  path: string;
  message: string;
}

/** Every field-level message an API error carries: body issues, zod issues, or the service's `field`. */
export function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as
    | { issues?: unknown; field?: unknown }
    | { path?: unknown; message?: unknown }[]
    | undefined;
  const out: Issue[] = [];
  const add = (path: unknown, message: unknown, where?: unknown) => {
    if (where !== undefined && where !== "body") return;
    const p = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
    if (typeof message === "string") out.push({ path: p, message });
  };
  const list = Array.isArray(details) ? details : Array.isArray(details?.issues) ? details.issues : [];
  for (const issue of list as { path?: unknown; message?: unknown; in?: unknown }[])
    add(issue.path, issue.message, issue.in);
  if (!Array.isArray(details) && typeof details?.field === "string") {
    const prefix = `${details.field}: `;
    add(details.field, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
  }
  if (out.length === 0) {
    const match = /^([a-zA-Z][\w]*(?:\.[\w]+)*): ([\s\S]+)$/.exec(error.message);
    if (match) out.push({ path: match[1]!, message: match[2]! });
  }
  return out;
}

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
] as const;

function errorsByControl(issues: Issue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const control = [...CONTROL_PATHS]
      .sort((a, b) => b.length - a.length)
      .find((c) => issue.path === c || issue.path.startsWith(`${c}.`));
    if (control && !out[control]) out[control] = issue.message;
  }
  return out;
}

/** "" → absent; a number → the number; anything else as typed, so the API names the field. */
function numberOrRaw(value: FormDataEntryValue | null): number | string | undefined {
  const text = String(value ?? "").trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function compact<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as Partial<T>) : undefined;
}

const CUSTOM = "custom";

/** A metric's description up to its first full stop (the whole text is the tooltip). */
const firstSentence = (text: string) => /^[\s\S]*?\.(?=\s|$)/.exec(text)?.[0] ?? text;

function ModelChoice({
  id,
  label,
  path,
  choices,
  error,
  defaultValue,
}: {
  id: string;
  label: string;
  path: string;
  choices: StartRunChoices;
  error?: string;
  defaultValue: string;
}) {
  const [choice, setChoice] = useState(defaultValue);
  const options = [
    ...choices.modelConfigs.map((c) => ({ value: `config:${c.name}`, label: `${c.name} (${c.model})` })),
    ...choices.simModels.map((m) => ({ value: `id:${m}`, label: `${m} (offline simulator)` })),
    { value: CUSTOM, label: "Another model: provider:model id…" },
  ];
  return (
    <div className="space-y-2" data-path={path}>
      <SelectField
        id={id}
        name={`${id}-choice`}
        label={label}
        options={options}
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        error={choice === CUSTOM ? undefined : error}
        hint="A model configuration of the project (Settings), or a model id."
      />
      {choice === CUSTOM ? (
        <TextField
          id={`${id}-id`}
          name={`${id}-id`}
          label={`${label} id`}
          placeholder="openai:gpt-4o-mini"
          error={error}
          required
        />
      ) : null}
    </div>
  );
}

function modelRef(form: FormData, id: string): string {
  const choice = String(form.get(`${id}-choice`) ?? "");
  if (choice === CUSTOM) return String(form.get(`${id}-id`) ?? "").trim();
  return choice.replace(/^(config|id):/, "");
}

function Fieldset({
  legend,
  children,
  className = "",
  describedBy,
}: {
  legend: string;
  children: ReactNode;
  className?: string;
  describedBy?: string;
}) {
  return (
    <fieldset
      aria-describedby={describedBy}
      className={`rounded-md border border-slate-200 p-4 ${className}`}
    >
      <legend className="px-1 text-sm font-semibold text-slate-800">{legend}</legend>
      {children}
    </fieldset>
  );
}

export function StartRunForm({ project, choices }: { project: string; choices: StartRunChoices }) {
  const router = useRouter();
  const alertRef = useRef<HTMLDivElement>(null);
  const [task, setTask] = useState(
    (choices.tasks.find((t) => t.versions.length > 0) ?? choices.tasks[0])?.name ?? "",
  );
  const versions = choices.tasks.find((t) => t.name === task)?.versions ?? [];
  const [strategy, setStrategy] = useState(
    choices.strategies.some((s) => s.name === "critique-rewrite")
      ? "critique-rewrite"
      : (choices.strategies[0]?.name ?? ""),
  );
  const start = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiRequest<{ id: string; status: string; runner: string }>(
        "POST",
        `/api/v1/projects/${project}/runs`,
        body,
      ),
    onSuccess: (created) => router.push(`/projects/${project}/runs/${created.id}`),
    onError: () => requestAnimationFrame(() => alertRef.current?.focus()),
  });
  const errors = errorsByControl(issuesOf(start.error));
  const num = { type: "number", inputMode: "decimal", step: "any" } as const;
  const defaultModel = choices.modelConfigs[0]
    ? `config:${choices.modelConfigs[0].name}`
    : `id:${choices.simModels[0] ?? CUSTOM}`;
  const configNames = new Set(choices.metricConfigs.map((c) => c.name));
  const registered = choices.metrics.filter((m) => !configNames.has(m.name));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const promptVersion = String(form.get("promptVersion") ?? "");
    const body: Record<string, unknown> = {
      task: String(form.get("task") ?? ""),
      ...(promptVersion ? { promptVersion: numberOrRaw(promptVersion) } : {}),
      datasetVersionId: String(form.get("datasetVersionId") ?? ""),
      models: { task: modelRef(form, "run-task-model"), optimizer: modelRef(form, "run-optimizer-model") },
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
      ...(form.get("cache") ? {} : { cache: { enabled: false } }),
    };
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    start.mutate(body);
  }

  if (choices.tasks.length === 0 || choices.datasets.length === 0)
    return (
      <Alert tone="info" title="Nothing to run yet">
        A run needs a task with a prompt version and a dataset. Create them with the CLI (
        <code>npm run strop -- optimize examples/sentiment/task.yaml</code>) or upload a dataset on the
        Datasets page.
      </Alert>
    );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Start a run">
      {start.isError ? (
        <div ref={alertRef} tabIndex={-1} className="outline-none">
          <Alert tone="error" title="The run was not started">
            <pre className="whitespace-pre-wrap break-words font-sans">{errorMessage(start.error)}</pre>
          </Alert>
        </div>
      ) : null}
      <p className="text-sm text-slate-600">
        Runs execute on the <strong className="font-medium">{choices.runner}</strong> runner
        {choices.runner === "embedded" ? " (inside this app's process)" : " (Inngest functions)"}.
      </p>
      <div className="grid gap-5 lg:grid-cols-2">
        <Fieldset legend="What to optimize" className="space-y-3">
          <SelectField
            id="run-task"
            name="task"
            label="Task"
            value={task}
            onChange={(e) => setTask(e.target.value)}
            options={choices.tasks.map((t) => ({
              value: t.name,
              label: `${t.name}${t.versions.length ? ` (${t.versions.length} version${t.versions.length === 1 ? "" : "s"})` : " (no version)"}`,
            }))}
            error={errors.task}
          />
          <SelectField
            key={task}
            id="run-prompt-version"
            name="promptVersion"
            label="Start from prompt version"
            defaultValue=""
            options={[
              { value: "", label: versions.length ? `Latest (version ${versions[0]})` : "Latest" },
              ...versions.map((v) => ({ value: String(v), label: `Version ${v}` })),
            ]}
            error={errors.promptVersion}
          />
          <SelectField
            id="run-dataset"
            name="datasetVersionId"
            label="Dataset version"
            defaultValue={choices.datasets[0]?.versions[0]?.id}
            options={choices.datasets.flatMap((d) =>
              d.versions.map((v) => ({
                value: v.id,
                label: `${d.name} v${v.version} (${v.rowCount.toLocaleString("en-US")} rows)`,
              })),
            )}
            error={errors.datasetVersionId}
          />
        </Fieldset>
        <Fieldset legend="Models" className="space-y-3">
          <ModelChoice
            id="run-task-model"
            label="Task model"
            path="models.task"
            choices={choices}
            defaultValue={defaultModel}
            error={errors["models.task"]}
          />
          <ModelChoice
            id="run-optimizer-model"
            label="Optimizer model"
            path="models.optimizer"
            choices={choices}
            defaultValue={defaultModel}
            error={errors["models.optimizer"]}
          />
        </Fieldset>
        <Fieldset legend="Metrics" describedBy={errors.metrics ? "run-metrics-error" : undefined}>
          <div className="grid gap-2 sm:grid-cols-2">
            {choices.metricConfigs.map((c) => (
              <label key={`config-${c.name}`} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="metrics" value={c.name} className="mt-1" />
                <span>
                  <span className="font-medium">{c.name}</span>
                  <span className="block text-xs text-slate-500">configuration of {c.metric}</span>
                </span>
              </label>
            ))}
            {registered.map((m) => (
              <label key={m.name} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="metrics"
                  value={m.name}
                  defaultChecked={m.name === "exact_match"}
                  className="mt-1"
                />
                <span>
                  <span className="font-medium">{m.name}</span>
                  <span className="line-clamp-2 block text-xs text-slate-500" title={m.description}>
                    {m.usesLlm ? "Calls a model. " : ""}
                    {firstSentence(m.description)}
                  </span>
                </span>
              </label>
            ))}
          </div>
          {errors.metrics ? (
            <p id="run-metrics-error" className="mt-2 text-sm text-red-700">
              {errors.metrics}
            </p>
          ) : null}
        </Fieldset>
        <Fieldset legend="Optimizer" className="grid gap-3 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <SelectField
              id="run-strategy"
              name="strategy"
              label="Strategy"
              value={strategy}
              onChange={(e) => setStrategy(e.target.value)}
              options={choices.strategies.map((s) => ({ value: s.name, label: s.name }))}
              hint={choices.strategies.find((s) => s.name === strategy)?.description}
              error={errors["optimizer.strategy"]}
            />
          </div>
          <TextField
            id="run-candidates"
            name="candidates"
            label="Candidates per iteration (K)"
            defaultValue="3"
            min={1}
            max={16}
            hint="1–16"
            error={errors["optimizer.candidates"]}
            {...num}
          />
          <TextField
            id="run-failures"
            name="failures"
            label="Failing examples shown"
            defaultValue="8"
            min={1}
            max={100}
            hint="1–100"
            error={errors["optimizer.failures"]}
            {...num}
          />
        </Fieldset>
        <Fieldset legend="Stop rules" className="grid gap-3 sm:grid-cols-3">
          <TextField
            id="run-max-iterations"
            name="maxIterations"
            label="Max iterations"
            defaultValue="5"
            min={1}
            max={100}
            hint="1–100"
            error={errors["stop.maxIterations"]}
            {...num}
          />
          <TextField
            id="run-patience"
            name="patience"
            label="Patience"
            defaultValue="2"
            min={1}
            hint="Iterations without an accepted candidate"
            error={errors["stop.patience"]}
            {...num}
          />
          <TextField
            id="run-target-score"
            name="targetScore"
            label="Target score (optional)"
            min={0}
            max={1}
            placeholder="0.95"
            hint="0–1, validation"
            error={errors["stop.targetScore"]}
            {...num}
          />
        </Fieldset>
        <Fieldset legend="Budget (optional)" className="grid gap-3 sm:grid-cols-2">
          <TextField
            id="run-budget-calls"
            name="budgetCalls"
            label="Max model calls"
            min={1}
            error={errors["budget.calls"]}
            {...num}
          />
          <TextField
            id="run-budget-cost"
            name="budgetCostUsd"
            label="Max cost (USD)"
            error={errors["budget.costUsd"]}
            {...num}
          />
          <TextField
            id="run-budget-tokens"
            name="budgetTokens"
            label="Max tokens"
            min={1}
            error={errors["budget.tokens"]}
            {...num}
          />
          <TextField
            id="run-budget-wall"
            name="budgetWallSeconds"
            label="Max wall time (seconds)"
            error={errors["budget.wallSeconds"]}
            {...num}
          />
        </Fieldset>
      </div>
      <details
        className="rounded-md border border-slate-200 p-4"
        open={Boolean(
          errors.splits ||
            errors["splits.validation"] ||
            errors["splits.test"] ||
            errors.seed ||
            errors.cache,
        )}
      >
        <summary className="cursor-pointer text-sm font-semibold text-slate-800">
          Splits, seed and cache
        </summary>
        <div className="mt-3 grid gap-3 sm:grid-cols-4">
          <TextField
            id="run-split-validation"
            name="splitValidation"
            label="Validation fraction"
            placeholder="0.25"
            error={errors["splits.validation"] ?? errors.splits}
            {...num}
          />
          <TextField
            id="run-split-test"
            name="splitTest"
            label="Test fraction"
            placeholder="0.25"
            error={errors["splits.test"]}
            {...num}
          />
          <TextField id="run-seed" name="seed" label="Seed" placeholder="42" error={errors.seed} {...num} />
          <div className="space-y-1">
            <label className="mt-7 flex items-center gap-2 text-sm font-medium text-slate-800">
              <input type="checkbox" name="cache" value="on" defaultChecked />
              Response cache
            </label>
            {errors.cache ? <p className="text-sm text-red-700">{errors.cache}</p> : null}
          </div>
        </div>
      </details>
      <div className="flex items-center gap-3">
        <Button type="submit" pending={start.isPending || start.isSuccess}>
          Start run
        </Button>
        {start.isSuccess ? (
          <span role="status" className="text-sm text-slate-600">
            Run queued; opening it…
          </span>
        ) : null}
      </div>
    </form>
  );
}
