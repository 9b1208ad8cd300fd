"use client";

// Deletes the task with every version (editors), after a second click. The server refuses while a label
// points into it (409 naming the labels): the refusal is shown as it is, with what to do about it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { taskApiPath } from "../task-api";

export function DeleteTaskButton({ project, task }: { project: string; task: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiRequest<void>("DELETE", taskApiPath(project, task)),
    onSuccess: () => {
      router.push(`/projects/${project}/prompts`);
      router.refresh();
    },
  });
  const labels = remove.error instanceof ApiError ? (remove.error.details.labels ?? []) : [];
  return (
    <div className="space-y-2">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-700">Delete {task} and all its versions?</span>
          <Button variant="danger" pending={remove.isPending} onClick={() => remove.mutate()}>
            Delete task
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)}>
            Keep it
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete task…
        </Button>
      )}
      {remove.isError ? (
        <Alert tone="error" title="The task was not deleted">
          <p>{errorMessage(remove.error)}</p>
          {labels.length ? (
            <p className="mt-1">
              Remove or move {labels.length === 1 ? "its label" : "its labels"} ({labels.join(", ")}) first:
              applications may still fetch {labels.length === 1 ? "it" : "them"}.
            </p>
          ) : null}
        </Alert>
      ) : null}
    </div>
  );
}
