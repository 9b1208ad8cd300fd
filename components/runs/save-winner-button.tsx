"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { VariableChangeWarning } from "@/components/prompts/labels/variable-change-warning";
import { Button } from "@/components/ui/button";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";

type Save = { label: boolean; confirmVariableChange?: boolean };
type Saved = { id: string; version: number; label: { name: string } | null };

/**
 * Saves the run's winner as a new prompt version of its task (editor+), or saves it and labels it
 * `staging` in the same transaction (citing the run), then links to that version. A label the server
 * refuses (protected, or the variables callers send would change) leaves nothing saved: the refusal is
 * shown, with "Save and label anyway" for changed variables.
 */
export function SaveWinnerButton({ project, runId, task }: { project: string; runId: string; task: string }) {
  const router = useRouter();
  const save = useMutation({
    mutationFn: ({ label, confirmVariableChange }: Save) =>
      apiRequest<Saved>(
        "POST",
        `/api/v1/projects/${project}/runs/${runId}/winner`,
        label
          ? {
              label: "staging",
              reason: `Winner of run ${runId}`,
              confirmVariableChange: Boolean(confirmVariableChange),
            }
          : undefined,
      ),
    onSuccess: () => router.refresh(),
  });
  if (save.isSuccess)
    return (
      <p role="status" className="text-sm text-emerald-900">
        <span aria-hidden="true">✓ </span>Saved as{" "}
        <Link
          href={`/projects/${project}/prompts/${encodeURIComponent(task)}?version=${save.data.version}`}
          className="font-medium text-indigo-700 hover:underline"
        >
          version {save.data.version} of {task}
        </Link>
        {save.data.label ? (
          <>
            , labelled <code>{save.data.label.name}</code>
          </>
        ) : null}
        .
      </p>
    );
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button
          pending={save.isPending && !save.variables?.label}
          disabled={save.isPending}
          onClick={() => save.mutate({ label: false })}
        >
          Save winner as new prompt version
        </Button>
        <Button
          variant="secondary"
          pending={save.isPending && save.variables?.label}
          disabled={save.isPending}
          onClick={() => save.mutate({ label: true })}
        >
          Save winner and label as staging
        </Button>
      </div>
      {error?.code === "variables_changed" ? (
        <VariableChangeWarning
          label="staging"
          variables={error.details.variables ?? []}
          confirmText="Save and label anyway"
          pending={save.isPending}
          onConfirm={() => save.mutate({ label: true, confirmVariableChange: true })}
        />
      ) : save.isError ? (
        <p role="alert" className="max-w-md text-sm text-red-700">
          {errorMessage(save.error)}
          {error?.code === "protected_label"
            ? " Nothing was saved: save the winner, then request the change on the task's page."
            : ""}
        </p>
      ) : null}
    </div>
  );
}
