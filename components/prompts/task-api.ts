"use client";

// The task's API paths and one mutation shape for its buttons: call the API, then re-render the page's
// server components (labels, history, requests come from the services there).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { apiRequest } from "@/lib/http/client";

/** `/api/v1/projects/{project}/prompts/{task}` plus `path`. */
export function taskApiPath(project: string, task: string, path = ""): string {
  return `/api/v1/projects/${project}/prompts/${encodeURIComponent(task)}${path}`;
}

/** A call to the task's API (`method path body`) that refreshes the page when it succeeds. */
export function useTaskCall<Input = void, Output = unknown>(
  project: string,
  task: string,
  call: (input: Input) => { method: string; path: string; body?: unknown },
  options: { onSuccess?: (output: Output, input: Input) => void } = {},
) {
  const router = useRouter();
  return useMutation({
    mutationFn: (input: Input) => {
      const { method, path, body } = call(input);
      return apiRequest<Output>(method, taskApiPath(project, task, path), body);
    },
    onSuccess: (output, input) => {
      options.onSuccess?.(output, input);
      router.refresh();
    },
  });
}
