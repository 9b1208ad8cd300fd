"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { apiRequest, describeError } from "@/lib/http/client";

interface Splits {
  validation: number;
  test: number;
  seed: number;
}

/** The form's fields by API path. */
const SPLIT_LABELS = {
  "splits.validation": "Validation %",
  "splits.test": "Test %",
  "splits.seed": "Seed",
} as const;

/** Sets the split configuration: stored as a new version (same rows) so earlier runs stay reproducible. */
export function SplitForm({
  project,
  dataset,
  latestVersion,
  splits,
}: {
  project: string;
  dataset: string;
  latestVersion: number;
  splits: Splits;
}) {
  const router = useRouter();
  const ids = useId();
  const save = useMutation({
    mutationFn: (input: Splits) =>
      apiRequest<{ version: { version: number } }>(
        "PATCH",
        `/api/v1/projects/${project}/datasets/${dataset}/examples`,
        {
          baseVersion: latestVersion,
          splits: input,
        },
      ),
    onSuccess: () => router.refresh(),
  });
  const worded = save.error ? describeError(save.error, SPLIT_LABELS) : null;
  const fields = worded?.fields ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      validation: Number(form.get("validation")) / 100,
      test: Number(form.get("test")) / 100,
      seed: Number(form.get("seed")),
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {worded ? <Alert tone="error">{worded.summary}</Alert> : null}
      {save.isSuccess ? (
        <Alert tone="success">Saved as version {save.data.version.version} (same rows, new splits).</Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-4">
        <TextField
          id={`${ids}-validation`}
          name="validation"
          label="Validation %"
          type="number"
          min={1}
          max={89}
          step="any"
          defaultValue={Math.round(splits.validation * 1000) / 10}
          error={fields["splits.validation"]}
        />
        <TextField
          id={`${ids}-test`}
          name="test"
          label="Test %"
          type="number"
          min={1}
          max={89}
          step="any"
          defaultValue={Math.round(splits.test * 1000) / 10}
          error={fields["splits.test"]}
        />
        <TextField
          id={`${ids}-seed`}
          name="seed"
          label="Seed"
          type="number"
          min={0}
          step={1}
          defaultValue={splits.seed}
          error={fields["splits.seed"]}
        />
        <div className="flex items-end">
          <Button type="submit" pending={save.isPending}>
            Save splits
          </Button>
        </div>
      </div>
      <p className="text-xs text-slate-500">Saving creates version {latestVersion + 1} with the same rows.</p>
    </form>
  );
}
