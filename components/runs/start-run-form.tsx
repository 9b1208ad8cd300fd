"use client";

// Start an optimization run (editor+): task and prompt version, dataset version, task and optimizer
// models (a model configuration of the project by name, the offline simulator, or any "provider:model"
// id), metrics, strategy and K, stop rules and budget. Posts the run spec (lib/validation/runs.ts) as
// JSON; on 202 opens the run's live page, on 4xx names the field next to its control and above the form.
// The cost estimate follows the fields as they change; a paid run above the project's threshold is
// confirmed before it starts.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Fieldset } from "@/components/ui/fieldset";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import type { CreatedRun, RunEstimateView } from "@/lib/validation/runs";
import type { StartedComparison } from "@/lib/validation/strategy-comparison";
import { CompareStrategiesField } from "./compare-strategies-field";
import { CUSTOM, ModelChoice, modelRef } from "./model-choice";
import { CostConfirmation, EstimatePanel, useEstimate } from "./run-estimate";
import { BudgetFields, NUMBER_INPUT, SplitsSeedCache } from "./run-form-sections";
import { errorsByControl, type RunSpecDraft, runSpecFromForm } from "./run-spec-draft";

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

/**
 * What the page was asked to preselect (`/runs/new?task=…&version=…&purpose=evaluate`, the task page's
 * Evaluate and Optimize actions); names the choices do not hold are ignored.
 */
export interface StartRunPreset {
  task?: string;
  version?: number;
  /** Evaluate: one iteration with one candidate, so the report's baseline is the version's score. */
  evaluate?: boolean;
}

/** A metric's description up to its first full stop (the whole text is the tooltip). */
const firstSentence = (text: string) => /^[\s\S]*?\.(?=\s|$)/.exec(text)?.[0] ?? text;

export function StartRunForm({
  project,
  choices,
  preset = {},
}: {
  project: string;
  choices: StartRunChoices;
  preset?: StartRunPreset;
}) {
  const router = useRouter();
  const alertRef = useRef<HTMLDivElement>(null);
  const presetTask = choices.tasks.find((t) => t.name === preset.task);
  const [task, setTask] = useState(
    (presetTask ?? choices.tasks.find((t) => t.versions.length > 0) ?? choices.tasks[0])?.name ?? "",
  );
  const versions = choices.tasks.find((t) => t.name === task)?.versions ?? [];
  const presetVersion =
    task === presetTask?.name && preset.version && versions.includes(preset.version)
      ? String(preset.version)
      : "";
  const [strategy, setStrategy] = useState(
    choices.strategies.some((s) => s.name === "critique-rewrite")
      ? "critique-rewrite"
      : (choices.strategies[0]?.name ?? ""),
  );
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<RunSpecDraft | null>(null);
  const estimateUrl = `/api/v1/projects/${project}/runs/estimate`;
  const estimate = useEstimate(estimateUrl, draft);
  const [confirming, setConfirming] = useState<{ spec: RunSpecDraft; estimate: RunEstimateView } | null>(
    null,
  );
  const readDraft = (): RunSpecDraft | null => {
    if (!formRef.current) return null;
    const form = new FormData(formRef.current);
    return runSpecFromForm(form, (id) => modelRef(form, id));
  };
  // The first estimate, for the fields as the page renders them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, after the form is in the document
  useEffect(() => setDraft(readDraft()), []);
  const start = useMutation({
    // The cost is checked again at submit time (the shown estimate may lag the last keystroke).
    mutationFn: async ({ spec, confirmed }: { spec: RunSpecDraft; confirmed: boolean }) => {
      if (!confirmed) {
        const cost = await apiRequest<RunEstimateView>("POST", estimateUrl, spec).catch(() => null);
        if (cost?.needsConfirmation) return { confirm: { spec, estimate: cost } };
      }
      const compareWith = formRef.current
        ? new FormData(formRef.current).getAll("compareWith").map(String)
        : [];
      if (compareWith.length > 0) {
        const strategies = [spec.optimizer?.strategy ?? strategy, ...compareWith];
        const body = { spec, strategies };
        const url = `/api/v1/projects/${project}/runs/strategies`;
        return { compared: await apiRequest<StartedComparison>("POST", url, body) };
      }
      return { created: await apiRequest<CreatedRun>("POST", `/api/v1/projects/${project}/runs`, spec) };
    },
    onSuccess: (result) => {
      if (result.confirm) setConfirming(result.confirm);
      else if (result.compared) router.push(result.compared.compareUrl);
      else if (result.created) router.push(`/projects/${project}/runs/${result.created.id}`);
    },
    onError: () => requestAnimationFrame(() => alertRef.current?.focus()),
  });
  const queued = start.isSuccess && (start.data.created !== undefined || start.data.compared !== undefined);
  const errors = errorsByControl(start.error instanceof ApiError ? start.error : null);
  const num = NUMBER_INPUT;
  const defaultModel = choices.modelConfigs[0]
    ? `config:${choices.modelConfigs[0].name}`
    : `id:${choices.simModels[0] ?? CUSTOM}`;
  const configNames = new Set(choices.metricConfigs.map((c) => c.name));
  const registered = choices.metrics.filter((m) => !configNames.has(m.name));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const spec = readDraft();
    setConfirming(null);
    if (spec) start.mutate({ spec, confirmed: false });
  }

  if (choices.tasks.length === 0 || choices.datasets.length === 0)
    return (
      <Alert tone="info" title="Nothing to run yet">
        A run needs a task with a prompt version and a dataset.{" "}
        {choices.tasks.length === 0 ? (
          <>
            <Link href={`/projects/${project}/prompts?new`} className="text-indigo-700 hover:underline">
              Create a task
            </Link>{" "}
            and write its prompt
            {choices.datasets.length === 0 ? ", then " : "."}
          </>
        ) : null}
        {choices.datasets.length === 0 ? (
          <>
            <Link href={`/projects/${project}/datasets`} className="text-indigo-700 hover:underline">
              {choices.tasks.length === 0 ? "upload a dataset" : "Upload a dataset"}
            </Link>{" "}
            (CSV, JSONL or JSON).
          </>
        ) : null}
      </Alert>
    );

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      onChange={() => {
        setConfirming(null);
        setDraft(readDraft());
      }}
      noValidate
      className="space-y-5"
      aria-label="Start a run"
    >
      {start.isError ? (
        <div ref={alertRef} tabIndex={-1} className="outline-none">
          <Alert tone="error" title="The run was not started">
            <pre className="whitespace-pre-wrap break-words font-sans">{errorMessage(start.error)}</pre>
          </Alert>
        </div>
      ) : null}
      {preset.evaluate && presetTask ? (
        <Alert
          tone="info"
          title={`Evaluate ${presetTask.name}${presetVersion ? ` version ${presetVersion}` : ""}`}
        >
          One iteration with one candidate: the report scores the version (the baseline) on the held-out test
          split of the dataset, with its 95% interval.
        </Alert>
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
            defaultValue={presetVersion}
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
          {preset.evaluate ? null : (
            <CompareStrategiesField strategies={choices.strategies} selected={strategy} />
          )}
          <TextField
            id="run-candidates"
            name="candidates"
            label="Candidates per iteration (K)"
            defaultValue={preset.evaluate ? "1" : "3"}
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
            defaultValue={preset.evaluate ? "1" : "5"}
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
        <BudgetFields errors={errors} />
      </div>
      <SplitsSeedCache errors={errors} />
      <EstimatePanel query={estimate} project={project} />
      {confirming ? (
        <CostConfirmation
          estimate={confirming.estimate}
          pending={start.isPending}
          onConfirm={() => start.mutate({ spec: confirming.spec, confirmed: true })}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" pending={start.isPending || queued}>
          Start run
        </Button>
        {queued ? (
          <span role="status" className="text-sm text-slate-600">
            Run queued; opening it…
          </span>
        ) : null}
      </div>
    </form>
  );
}
