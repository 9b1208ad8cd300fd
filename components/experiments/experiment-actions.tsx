"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";
import type { ExperimentStatus } from "@/lib/validation/experiments";

type Action = "start" | "pause" | "resume" | "stop" | "analyze";

const LABELS: Record<Action, string> = {
  start: "Start",
  pause: "Pause",
  resume: "Resume",
  stop: "Stop",
  analyze: "Analyze now",
};

const ACTIONS: Record<ExperimentStatus, Action[]> = {
  draft: ["start", "stop"],
  running: ["analyze", "pause", "stop"],
  paused: ["resume", "analyze", "stop"],
  stopped: [],
};

/** Start, pause, resume, stop and "Analyze now" for editors; the page reloads its data after each. */
export function ExperimentActions({
  project,
  experiment,
  status,
}: {
  project: string;
  experiment: string;
  status: ExperimentStatus;
}) {
  const router = useRouter();
  const act = useMutation({
    mutationFn: (action: Action) =>
      apiRequest("POST", `/api/v1/projects/${project}/experiments/${experiment}/${action}`),
    onSuccess: (_data, action) => {
      router.refresh();
      // An analysis runs in the background: look again once it had time to finish.
      if (action === "analyze") setTimeout(() => router.refresh(), 1500);
    },
  });
  const actions = ACTIONS[status];
  if (actions.length === 0) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {actions.map((action) => (
          <Button
            key={action}
            variant={
              action === "stop"
                ? "danger"
                : action === "analyze" || action === "start" || action === "resume"
                  ? "primary"
                  : "secondary"
            }
            pending={act.isPending && act.variables === action}
            disabled={act.isPending}
            onClick={() => act.mutate(action)}
          >
            {LABELS[action]}
          </Button>
        ))}
      </div>
      {act.isError ? <Alert tone="error">{errorMessage(act.error)}</Alert> : null}
      {act.isSuccess && act.variables === "analyze" ? (
        <Alert tone="success">Analysis queued: the charts update when it finishes.</Alert>
      ) : null}
    </div>
  );
}
