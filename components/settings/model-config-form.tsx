"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, type InputHTMLAttributes, type ReactNode, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";

/** A stored model configuration as the page passes it (dates as ISO strings). */
export interface ModelConfigValues {
  name: string;
  model: string;
  credential: string | null;
  params: { temperature?: number; maxOutputTokens?: number; topP?: number; seed?: number };
  price: { input: number; output: number } | null;
  concurrency: number;
  rateLimit: { requestsPerMinute?: number; tokensPerMinute?: number };
  timeoutMs: number | null;
  maxRetries: number | null;
  updatedAt: string;
}

/** "" → absent; a number → the number; anything else is sent as typed, so the API names the field. */
function numberOrRaw(value: FormDataEntryValue | null): number | string | undefined {
  const text = String(value ?? "").trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

const text = (value: FormDataEntryValue | null) => String(value ?? "").trim() || undefined;

function bodyOf(form: FormData, editing: boolean): Record<string, unknown> {
  const priceInput = numberOrRaw(form.get("priceInput"));
  const priceOutput = numberOrRaw(form.get("priceOutput"));
  const body: Record<string, unknown> = {
    model: text(form.get("model")) ?? "",
    credential: text(form.get("credential")) ?? null,
    params: {
      temperature: numberOrRaw(form.get("temperature")),
      maxOutputTokens: numberOrRaw(form.get("maxOutputTokens")),
      topP: numberOrRaw(form.get("topP")),
      seed: numberOrRaw(form.get("seed")),
    },
    price:
      priceInput === undefined && priceOutput === undefined
        ? null
        : { input: priceInput, output: priceOutput },
    concurrency: numberOrRaw(form.get("concurrency")),
    rateLimit: {
      requestsPerMinute: numberOrRaw(form.get("requestsPerMinute")),
      tokensPerMinute: numberOrRaw(form.get("tokensPerMinute")),
    },
    timeoutMs: numberOrRaw(form.get("timeoutMs")) ?? null,
    maxRetries: numberOrRaw(form.get("maxRetries")) ?? null,
  };
  if (!editing) body.name = text(form.get("name")) ?? "";
  return body;
}

/** A stored credential a configuration may name (its endpoint is the credential's, set by admins). */
export interface CredentialChoice {
  name: string;
  provider: string;
  endpoint: string | null;
}

/** Creates a model configuration, or (with `initial`) replaces one, refusing to overwrite a newer change. */
export function ModelConfigForm({
  project,
  initial,
  credentials,
}: {
  project: string;
  initial?: ModelConfigValues;
  credentials: CredentialChoice[];
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const base = `/api/v1/projects/${project}/model-configs`;
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
  const prefix = `model-${initial?.name ?? "new"}`;
  const field = (
    name: string,
    path: string,
    label: string,
    value: unknown,
    extra: InputHTMLAttributes<HTMLInputElement> & { hint?: ReactNode } = {},
  ) => (
    <TextField
      id={`${prefix}-${name}`}
      name={name}
      label={label}
      defaultValue={value === null || value === undefined ? "" : String(value)}
      error={errors[path]}
      {...extra}
    />
  );
  const num = { type: "number", inputMode: "decimal", step: "any" } as const;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(bodyOf(new FormData(event.currentTarget), Boolean(initial)));
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
      {save.isError && !Object.keys(errors).length ? (
        <Alert tone="error">{errorMessage(save.error)}</Alert>
      ) : null}
      {save.isSuccess && initial ? <Alert tone="success">Saved.</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-3">
        {initial
          ? null
          : field("name", "name", "Name", "", { required: true, placeholder: "fast-task-model" })}
        {field("model", "model", "Model (provider:model)", initial?.model, {
          required: true,
          placeholder: "openai:gpt-4o-mini",
        })}
        <SelectField
          id={`${prefix}-credential`}
          name="credential"
          label="Credential"
          defaultValue={initial?.credential ?? ""}
          error={errors.credential}
          hint="Its key and endpoint; admins store credentials above."
          options={[
            { value: "", label: "Default for the provider" },
            ...credentials.map((c) => ({
              value: c.name,
              label: `${c.name} (${c.provider}${c.endpoint ? `, ${c.endpoint}` : ""})`,
            })),
          ]}
        />
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-4">
        <legend className="mb-2 text-sm font-medium text-slate-700">Parameters</legend>
        {field("temperature", "params.temperature", "Temperature", initial?.params.temperature, num)}
        {field(
          "maxOutputTokens",
          "params.maxOutputTokens",
          "Max output tokens",
          initial?.params.maxOutputTokens,
          num,
        )}
        {field("topP", "params.topP", "Top p", initial?.params.topP, num)}
        {field("seed", "params.seed", "Seed", initial?.params.seed, num)}
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-4">
        <legend className="mb-2 text-sm font-medium text-slate-700">Price, concurrency and limits</legend>
        {field("priceInput", "price.input", "USD / 1M input tokens", initial?.price?.input, num)}
        {field("priceOutput", "price.output", "USD / 1M output tokens", initial?.price?.output, num)}
        {field("concurrency", "concurrency", "Concurrency", initial?.concurrency ?? 8, num)}
        {field(
          "requestsPerMinute",
          "rateLimit.requestsPerMinute",
          "Requests per minute",
          initial?.rateLimit.requestsPerMinute,
          num,
        )}
        {field(
          "tokensPerMinute",
          "rateLimit.tokensPerMinute",
          "Tokens per minute",
          initial?.rateLimit.tokensPerMinute,
          num,
        )}
        {field("timeoutMs", "timeoutMs", "Timeout (ms)", initial?.timeoutMs, num)}
        {field("maxRetries", "maxRetries", "Max retries", initial?.maxRetries, num)}
      </fieldset>
      <Button type="submit" pending={save.isPending}>
        {initial ? "Save changes" : "Add model configuration"}
      </Button>
    </form>
  );
}
