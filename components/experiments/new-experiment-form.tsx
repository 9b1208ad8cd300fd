"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { sampleSizePerVariant } from "@/lib/core/experiments/power";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { AUTOMATIC_METRICS, type AutomaticMetric, type ExperimentView } from "@/lib/validation/experiments";
import { variantName } from "./variant-names";

export interface ExperimentFormTask {
  name: string;
  /** Version numbers, newest first. */
  versions: number[];
}

const AUTOMATIC = Object.entries(AUTOMATIC_METRICS).map(([value, m]) => ({ value, label: m.label }));

let nextKey = 0;
/** A variant row of the form; `key` keeps React's rows stable when one is removed. */
const variantRow = (version: number) => ({ key: nextKey++, version, weight: 1 });
/** The oldest two versions: control first. */
const initialVariants = (versions: number[]) => [...versions].reverse().slice(0, 2).map(variantRow);

/** The planned subjects per variant, or why there is none yet. */
function plan(kind: "proportion" | "mean", baseline: number, mde: number, sd: number, variants: number) {
  try {
    return sampleSizePerVariant({
      kind,
      baseline,
      minimumDetectableEffect: mde,
      standardDeviation: sd,
      variants,
    });
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * New experiment: the prompt, the label whose traffic is split, two or more versions with weights (the
 * first is control), the metric and guardrails, the smallest effect worth detecting (which plans the
 * sample size, shown as it changes), the maximum duration and the mode. Opens the new experiment.
 */
export function NewExperimentForm({ project, tasks }: { project: string; tasks: ExperimentFormTask[] }) {
  const router = useRouter();
  const [task, setTask] = useState(tasks[0]?.name ?? "");
  const versions = tasks.find((t) => t.name === task)?.versions ?? [];
  const [variants, setVariants] = useState(() => initialVariants(versions));
  const [source, setSource] = useState<"feedback" | "automatic">("feedback");
  const [kind, setKind] = useState<"proportion" | "mean">("proportion");
  const [automatic, setAutomatic] = useState<AutomaticMetric>("latencyMs");
  const [baseline, setBaseline] = useState("0.5");
  const [mde, setMde] = useState("0.1");
  const [sd, setSd] = useState("1");
  const [guardrails, setGuardrails] = useState<AutomaticMetric[]>([]);
  const metricKind = source === "automatic" ? AUTOMATIC_METRICS[automatic].kind : kind;
  const planned = plan(metricKind, Number(baseline), Number(mde), Number(sd), variants.length);

  const create = useMutation({
    mutationFn: (body: unknown) =>
      apiRequest<ExperimentView>("POST", `/api/v1/projects/${project}/experiments`, body),
    onSuccess: (created) => router.push(`/projects/${project}/experiments/${created.id}`),
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrorsIn("body") : {};

  function chooseTask(name: string) {
    setTask(name);
    const next = tasks.find((t) => t.name === name)?.versions ?? [];
    setVariants(initialVariants(next));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const metric =
      source === "automatic"
        ? { source, name: automatic, better: form.get("better") }
        : {
            source,
            name: form.get("metricName"),
            kind,
            better: form.get("better"),
            missing: form.get("missing"),
          };
    create.mutate({
      name: form.get("name"),
      task,
      label: form.get("label"),
      mode: form.get("mode"),
      variants: variants.map(({ version, weight }) => ({ version, weight })),
      metric,
      guardrails: guardrails.map((name) => ({ name })),
      baseline: Number(baseline),
      minimumDetectableEffect: Number(mde),
      ...(metricKind === "mean" ? { standardDeviation: Number(sd) } : {}),
      maxDurationHours: Number(form.get("maxDurationDays")) * 24,
    });
  }

  if (tasks.length === 0)
    return <Alert>Write a prompt with at least two versions first (Prompts), then compare them here.</Alert>;
  const versionOptions = versions.map((v) => ({ value: String(v), label: `Version ${v}` }));
  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New experiment" noValidate>
      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          id="name"
          label="Name"
          required
          defaultValue=""
          error={errors.name}
          placeholder="Shorter answers"
        />
        <SelectField
          id="task"
          label="Prompt"
          value={task}
          onChange={(e) => chooseTask(e.target.value)}
          options={tasks.map((t) => ({ value: t.name, label: t.name }))}
          error={errors.task}
        />
        <TextField
          id="label"
          label="Label whose traffic is split"
          defaultValue="production"
          error={errors.label}
        />
        <SelectField
          id="mode"
          label="Traffic split"
          defaultValue="fixed"
          options={[
            { value: "fixed", label: "Fixed weights" },
            { value: "bandit", label: "Bandit (shift traffic to the better variant)" },
          ]}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Variants (the first is control)</legend>
        {variants.map((variant, i) => (
          <div key={variant.key} className="flex flex-wrap items-end gap-3">
            <SelectField
              id={`variant-${i}-version`}
              label={`${variantName(i)}: version`}
              value={String(variant.version)}
              onChange={(e) =>
                setVariants(variants.map((v, j) => (j === i ? { ...v, version: Number(e.target.value) } : v)))
              }
              options={versionOptions}
              error={errors[`variants.${i}.version`]}
            />
            <TextField
              id={`variant-${i}-weight`}
              label="Weight"
              type="number"
              min="0"
              step="any"
              value={String(variant.weight)}
              onChange={(e) =>
                setVariants(variants.map((v, j) => (j === i ? { ...v, weight: Number(e.target.value) } : v)))
              }
              error={errors[`variants.${i}.weight`]}
            />
            {variants.length > 2 ? (
              <Button variant="ghost" onClick={() => setVariants(variants.filter((_, j) => j !== i))}>
                Remove {variantName(i)}
              </Button>
            ) : null}
          </div>
        ))}
        {errors.variants ? <p className="text-sm text-red-700">{errors.variants}</p> : null}
        {variants.length < Math.min(10, versions.length) ? (
          <Button
            variant="secondary"
            onClick={() => setVariants([...variants, variantRow(versions[0] ?? 1)])}
          >
            Add a variant
          </Button>
        ) : null}
      </fieldset>
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-sm font-medium text-slate-800">What decides</legend>
        <SelectField
          id="source"
          label="Metric"
          value={source}
          onChange={(e) => setSource(e.target.value as "feedback" | "automatic")}
          options={[
            { value: "feedback", label: "Feedback from users" },
            { value: "automatic", label: "Measured on every answer" },
          ]}
        />
        {source === "feedback" ? (
          <>
            <TextField
              id="metricName"
              label="Feedback name"
              defaultValue="thumbs_up"
              error={errors["metric.name"]}
            />
            <SelectField
              id="kind"
              label="Values"
              value={kind}
              onChange={(e) => setKind(e.target.value as "proportion" | "mean")}
              options={[
                { value: "proportion", label: "Yes/no (a rate)" },
                { value: "mean", label: "Numbers (an average)" },
              ]}
            />
            <SelectField
              id="missing"
              label="Subjects who sent none"
              defaultValue="skip"
              options={[
                { value: "skip", label: "Leave them out (a rating)" },
                { value: "zero", label: "Count them as 0 (a conversion)" },
              ]}
            />
          </>
        ) : (
          <SelectField
            id="automatic"
            label="Measure"
            value={automatic}
            onChange={(e) => setAutomatic(e.target.value as AutomaticMetric)}
            options={AUTOMATIC}
          />
        )}
        <SelectField
          id="better"
          label="Better when"
          defaultValue={source === "automatic" ? "lower" : "higher"}
          key={source}
          options={[
            { value: "higher", label: "Higher" },
            { value: "lower", label: "Lower" },
          ]}
        />
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">Guardrails (must not get worse)</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {AUTOMATIC.map((g) => (
            <label key={g.value} className="inline-flex items-center gap-2">
              <input
                type="checkbox"
                checked={guardrails.includes(g.value as AutomaticMetric)}
                onChange={(e) =>
                  setGuardrails(
                    e.target.checked
                      ? [...guardrails, g.value as AutomaticMetric]
                      : guardrails.filter((x) => x !== g.value),
                  )
                }
              />
              {g.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 md:grid-cols-3">
        <TextField
          id="baseline"
          label={metricKind === "proportion" ? "Control's expected rate (0–1)" : "Control's expected average"}
          type="number"
          step="any"
          value={baseline}
          onChange={(e) => setBaseline(e.target.value)}
          error={errors.baseline}
        />
        <TextField
          id="mde"
          label="Smallest difference worth detecting"
          type="number"
          step="any"
          value={mde}
          onChange={(e) => setMde(e.target.value)}
          error={errors.minimumDetectableEffect}
        />
        {metricKind === "mean" ? (
          <TextField
            id="sd"
            label="Standard deviation of one value"
            type="number"
            step="any"
            value={sd}
            onChange={(e) => setSd(e.target.value)}
            error={errors.standardDeviation}
          />
        ) : null}
        <TextField
          id="maxDurationDays"
          label="Stop after at most (days)"
          type="number"
          min="1"
          defaultValue="14"
          error={errors.maxDurationHours}
        />
      </div>
      <p className="text-sm text-slate-700" aria-live="polite" data-testid="planned-sample">
        {typeof planned === "number"
          ? `Planned sample: ${planned.toLocaleString("en")} subjects per variant (80% power, safe to check any time).`
          : `Planned sample: ${planned}`}
      </p>
      {create.isError ? <Alert tone="error">{errorMessage(create.error)}</Alert> : null}
      <Button type="submit" pending={create.isPending}>
        Create experiment
      </Button>
    </form>
  );
}
