"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { TextAreaField } from "./text-area-field";

export interface MetricConfigValues {
  name: string;
  metric: string;
  options: Record<string, unknown>;
  weight: number;
  target: number | null;
  updatedAt: string;
}

function numberOrRaw(value: FormDataEntryValue | null): number | string | undefined {
  const text = String(value ?? "").trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** Creates a metric configuration, or (with `initial`) replaces one. Options are JSON, checked by the API. */
export function MetricConfigForm({
  project,
  metrics,
  initial,
}: {
  project: string;
  metrics: { name: string; description: string }[];
  initial?: MetricConfigValues;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [optionsError, setOptionsError] = useState<string | undefined>();
  const base = `/api/v1/projects/${project}/metric-configs`;
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      initial
        ? apiRequest("PUT", `${base}/${encodeURIComponent(initial.name)}`, {
            ...body,
            expectedUpdatedAt: initial.updatedAt,
          })
        : apiRequest("POST", base, body),
    onSuccess: () => {
      if (!initial) formRef.current?.reset();
      router.refresh();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const optionErrors = Object.entries(errors)
    .filter(([path]) => path === "options" || path.startsWith("options."))
    .map(([path, message]) =>
      path === "options" ? message : `${path.slice("options.".length)}: ${message}`,
    );
  const prefix = `metric-${initial?.name ?? "new"}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const optionsText = String(form.get("options") ?? "").trim();
    let options: unknown = {};
    if (optionsText !== "") {
      try {
        options = JSON.parse(optionsText);
      } catch {
        setOptionsError('not valid JSON, e.g. {"caseSensitive": false}');
        return;
      }
    }
    setOptionsError(undefined);
    const body: Record<string, unknown> = {
      metric: String(form.get("metric") ?? ""),
      options,
      weight: numberOrRaw(form.get("weight")),
      target: numberOrRaw(form.get("target")) ?? null,
    };
    if (!initial) body.name = String(form.get("name") ?? "").trim();
    save.mutate(body);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
      {save.isError && !Object.keys(errors).length ? (
        <Alert tone="error">{errorMessage(save.error)}</Alert>
      ) : null}
      {save.isSuccess && initial ? <Alert tone="success">Saved.</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-4">
        {initial ? null : (
          <TextField
            id={`${prefix}-name`}
            name="name"
            label="Name"
            required
            placeholder="exact"
            error={errors.name}
          />
        )}
        <SelectField
          id={`${prefix}-metric`}
          name="metric"
          label="Metric"
          defaultValue={initial?.metric ?? metrics[0]?.name}
          options={metrics.map((m) => ({ value: m.name, label: m.name }))}
          error={errors.metric}
        />
        <TextField
          id={`${prefix}-weight`}
          name="weight"
          label="Weight"
          type="number"
          step="any"
          defaultValue={String(initial?.weight ?? 1)}
          error={errors.weight}
        />
        <TextField
          id={`${prefix}-target`}
          name="target"
          label="Target score (0–1, optional)"
          type="number"
          step="any"
          defaultValue={
            initial?.target === null || initial?.target === undefined ? "" : String(initial.target)
          }
          error={errors.target}
        />
      </div>
      <TextAreaField
        id={`${prefix}-options`}
        name="options"
        label="Options (JSON)"
        rows={3}
        spellCheck={false}
        defaultValue={initial ? JSON.stringify(initial.options, null, 2) : "{}"}
        hint="The metric's options; unknown or invalid options are refused, naming the option."
        error={optionsError ?? (optionErrors.length ? optionErrors.join("; ") : undefined)}
      />
      <Button type="submit" pending={save.isPending}>
        {initial ? "Save changes" : "Add metric configuration"}
      </Button>
    </form>
  );
}
