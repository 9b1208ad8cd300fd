"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { TextAreaField } from "./text-area-field";

interface FieldSpec {
  name: string;
  label: string;
  secret?: boolean;
  multiline?: boolean;
  required?: boolean;
  placeholder?: string;
  hint?: string;
}

const FIELDS: Record<string, FieldSpec[]> = {
  openai: [
    { name: "apiKey", label: "API key", secret: true, required: true, placeholder: "sk-…" },
    { name: "baseURL", label: "Base URL (optional)", placeholder: "https://api.openai.com/v1" },
  ],
  anthropic: [{ name: "apiKey", label: "API key", secret: true, required: true, placeholder: "sk-ant-…" }],
  vertex: [
    { name: "project", label: "Google Cloud project", required: true },
    { name: "location", label: "Location", placeholder: "us-central1" },
    {
      name: "serviceAccountJson",
      label: "Service-account key (JSON)",
      secret: true,
      multiline: true,
      required: true,
      hint: "The content of the key file; it is stored encrypted and never shown again.",
    },
  ],
  "openai-compatible": [
    { name: "baseURL", label: "Base URL", required: true, placeholder: "http://127.0.0.1:11434/v1" },
    { name: "apiKey", label: "API key (optional)", secret: true },
  ],
};

/**
 * Sets or replaces a credential (`name` given), or, without `name`, stores a new named one (name and
 * provider chosen in the form: e.g. a second OpenAI-compatible server). Every field is replaced: an
 * endpoint is never changed without sending the key again. Values are write-only: the form is cleared.
 */
export function CredentialForm({
  project,
  name,
  provider: fixedProvider,
  isSet,
}: {
  project: string;
  name?: string;
  provider?: string;
  isSet: boolean;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [chosenProvider, setChosenProvider] = useState(fixedProvider ?? "openai-compatible");
  const provider = fixedProvider ?? chosenProvider;
  const save = useMutation({
    mutationFn: ({ target, body }: { target: string; body: Record<string, string> }) =>
      apiRequest("PUT", `/api/v1/projects/${project}/credentials/${encodeURIComponent(target)}`, body),
    onSuccess: () => {
      formRef.current?.reset();
      router.refresh();
    },
  });
  const fields = save.error instanceof ApiError ? save.error.fieldErrors : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body: Record<string, string> = {};
    for (const spec of FIELDS[provider] ?? []) {
      const value = String(form.get(spec.name) ?? "").trim();
      if (value !== "") body[spec.name] = value;
    }
    if (!name) body.provider = provider;
    save.mutate({ target: name ?? String(form.get("credentialName") ?? "").trim(), body });
  }

  const id = (field: string) => `credential-${name ?? "new"}-${field}`;
  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      className="grid gap-3 sm:grid-cols-2"
      noValidate
      autoComplete="off"
    >
      {save.isError && !Object.keys(fields).length ? (
        <div className="sm:col-span-2">
          <Alert tone="error">{errorMessage(save.error)}</Alert>
        </div>
      ) : null}
      {save.isSuccess ? (
        <div className="sm:col-span-2">
          <Alert tone="success">Saved. The value is stored encrypted and is not shown again.</Alert>
        </div>
      ) : null}
      {name ? null : (
        <>
          <TextField
            id={id("name")}
            name="credentialName"
            label="Name"
            required
            placeholder="local-vllm"
            hint="Model configurations choose a credential by this name."
            error={fields.credential}
          />
          <SelectField
            id={id("provider")}
            name="provider"
            label="Provider"
            value={provider}
            onChange={(event) => setChosenProvider(event.target.value)}
            error={fields.provider}
            options={Object.keys(FIELDS).map((p) => ({ value: p, label: p }))}
          />
        </>
      )}
      {(FIELDS[provider] ?? []).map((spec) =>
        spec.multiline ? (
          <div key={spec.name} className="sm:col-span-2">
            <TextAreaField
              id={id(spec.name)}
              name={spec.name}
              label={spec.label}
              hint={spec.hint}
              required={spec.required}
              rows={5}
              spellCheck={false}
              error={fields[spec.name]}
            />
          </div>
        ) : (
          <TextField
            key={spec.name}
            id={id(spec.name)}
            name={spec.name}
            label={spec.label}
            type={spec.secret ? "password" : "text"}
            autoComplete={spec.secret ? "new-password" : "off"}
            placeholder={spec.placeholder}
            required={spec.required}
            hint={spec.hint}
            error={fields[spec.name]}
          />
        ),
      )}
      <div className="sm:col-span-2">
        <Button type="submit" pending={save.isPending}>
          {isSet ? "Replace credential" : "Save credential"}
          {name ? <span className="sr-only"> {name}</span> : null}
        </Button>
      </div>
    </form>
  );
}
