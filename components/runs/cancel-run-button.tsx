"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

/** Cancels a queued or running run (editor+): what it finished stays readable. */
export function CancelRunButton({
  project,
  runId,
  onCancelled,
}: {
  project: string;
  runId: string;
  onCancelled?: () => void;
}) {
  const router = useRouter();
  const cancel = useMutation({
    mutationFn: () =>
      apiRequest<{ id: string; status: string }>("POST", `/api/v1/projects/${project}/runs/${runId}/cancel`),
    onSuccess: () => {
      onCancelled?.();
      router.refresh();
    },
  });
  return (
    <div>
      <Button
        variant="danger"
        pending={cancel.isPending}
        disabled={cancel.isSuccess}
        onClick={() => {
          if (window.confirm("Cancel this run? What it finished so far stays readable.")) cancel.mutate();
        }}
      >
        {cancel.isSuccess ? "Cancelled" : "Cancel run"}
      </Button>
      {cancel.isError ? (
        <p role="alert" className="mt-1 max-w-sm text-sm text-red-700">
          {errorMessage(cancel.error)}
        </p>
      ) : null}
    </div>
  );
}
