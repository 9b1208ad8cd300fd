"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

/**
 * Resumes a failed or cancelled run or batch (editor+): back to the queue, continuing where it stopped;
 * what it finished stays and is not paid for again. The page refreshes to follow it live.
 */
const COLLECTION = { run: "runs", batch: "batches" } as const;

export function ResumeButton({
  project,
  kind,
  id,
  onResumed,
}: {
  project: string;
  kind: "run" | "batch";
  id: string;
  onResumed?: () => void;
}) {
  const router = useRouter();
  const resume = useMutation({
    mutationFn: () =>
      apiRequest<{ id: string; status: string }>(
        "POST",
        `/api/v1/projects/${project}/${COLLECTION[kind]}/${id}/resume`,
      ),
    onSuccess: () => {
      onResumed?.();
      router.refresh();
    },
  });
  return (
    <div>
      <Button
        variant="secondary"
        pending={resume.isPending}
        disabled={resume.isSuccess}
        onClick={() => resume.mutate()}
      >
        {resume.isSuccess ? "Resumed" : `Resume ${kind}`}
      </Button>
      {resume.isError ? (
        <p role="alert" className="mt-1 max-w-sm text-sm text-red-700">
          {errorMessage(resume.error)}
        </p>
      ) : null}
    </div>
  );
}
