"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import type { ApiKeyRow } from "./api-key-row";

interface Created {
  secret: string;
  apiKey: ApiKeyRow;
}

/** The fields this form shows next to their controls, by API path (lib/http/error-wording.ts). */
const FIELD_LABELS = {
  name: "Name",
  role: "Role",
};

export function CreateApiKeyForm({
  project,
  roles,
  onCreated,
}: {
  project: string;
  roles: string[];
  /** Called with the new key as the API returned it, in the same render as the secret appears. */
  onCreated?: (key: ApiKeyRow) => void;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: (input: { name: string; role: string }) =>
      apiRequest<Created>("POST", `/api/v1/projects/${project}/api-keys`, input),
    onSuccess: (data) => {
      formRef.current?.reset();
      setCopied(false);
      onCreated?.(data.apiKey);
      router.refresh();
    },
  });
  const fields = create.error instanceof ApiError ? create.error.fieldErrors : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "viewer") });
  }

  return (
    <div className="space-y-4">
      {create.data ? (
        <Alert tone="warning" title={`Copy the key "${create.data.apiKey.name}" now: it is shown only once`}>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <label htmlFor="new-api-key" className="sr-only">
              New API key
            </label>
            <input
              id="new-api-key"
              readOnly
              value={create.data.secret}
              onFocus={(event) => event.currentTarget.select()}
              className="min-w-0 flex-1 rounded border border-amber-300 bg-white px-2 py-1 font-mono text-xs"
            />
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(create.data?.secret ?? "");
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="mt-2 text-xs">
            Send it as <code>Authorization: Bearer …</code>. Strop stores only a hash and the prefix{" "}
            <code>{create.data.apiKey.prefix}</code>.
          </p>
        </Alert>
      ) : null}
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-3" noValidate>
        {create.isError && !Object.keys(fields).length ? (
          <div className="sm:col-span-3">
            <Alert tone="error">{errorMessage(create.error, FIELD_LABELS)}</Alert>
          </div>
        ) : null}
        <TextField
          id="key-name"
          name="name"
          label="Name"
          placeholder="CI pipeline"
          required
          error={fields.name}
        />
        <SelectField
          id="key-role"
          name="role"
          label="Role"
          defaultValue="viewer"
          options={roles.map((r) => ({ value: r, label: r }))}
          error={fields.role}
        />
        <div className="flex items-end">
          <Button type="submit" pending={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </div>
  );
}
