"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

/** Saves the run's winner as a new prompt version of its task (editor+), then links to that version. */
export function SaveWinnerButton({ project, runId, task }: { project: string; runId: string; task: string }) {
  const router = useRouter();
  const save = useMutation({
    mutationFn: () =>
      apiRequest<{ id: string; version: number }>("POST", `/api/v1/projects/${project}/runs/${runId}/winner`),
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
        .
      </p>
    );
  return (
    <div>
      <Button pending={save.isPending} onClick={() => save.mutate()}>
        Save winner as new prompt version
      </Button>
      {save.isError ? (
        <p role="alert" className="mt-1 max-w-md text-sm text-red-700">
          {errorMessage(save.error)}
        </p>
      ) : null}
    </div>
  );
}
