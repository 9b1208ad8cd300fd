"use client";
// Saves one of the run's prompts (a point of the quality–cost trade-off the user prefers) as a new
// version of the task, through the prompt API, with a message naming where it came from.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { PromptState } from "@/lib/core/types";
import { apiRequest, errorMessage } from "@/lib/http/client";

export function SaveCandidateButton({
  project,
  task,
  prompt,
  message,
}: {
  project: string;
  task: string;
  prompt: PromptState;
  message: string;
}) {
  const save = useMutation({
    mutationFn: () =>
      apiRequest<{ version: number }>(
        "POST",
        `/api/v1/projects/${project}/prompts/${encodeURIComponent(task)}/versions`,
        { ...prompt, message },
      ),
  });
  if (save.isSuccess)
    return (
      <Link
        href={`/projects/${project}/prompts/${encodeURIComponent(task)}?version=${save.data.version}`}
        className="text-indigo-700 underline"
      >
        Saved as version {save.data.version}
      </Link>
    );
  return (
    <span>
      <button
        type="button"
        onClick={() => save.mutate()}
        disabled={save.isPending}
        className="text-indigo-700 underline disabled:text-slate-400"
      >
        {save.isPending ? "Saving…" : "Save as a version"}
      </button>
      {save.isError ? <span className="ml-2 text-red-700">{errorMessage(save.error)}</span> : null}
    </span>
  );
}
