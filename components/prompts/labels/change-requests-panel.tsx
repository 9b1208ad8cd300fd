"use client";

// Change requests of the task's labels, pending ones first: what each asks (label, from → to, why, the
// evaluation it cites), its diff and both versions' latest evaluations (GET …/change-requests/{id}),
// and the buttons the caller's role allows — Approve or Reject (admins and owners other than the
// requester), Apply once approved, Cancel (the requester or an admin). A request whose label moved
// meanwhile is stale: it says so and offers nothing to apply.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/page";
import { apiRequest, errorMessage } from "@/lib/http/client";
import type { ChangeRequestDetail, ChangeRequestView } from "@/lib/validation/prompt-labels";
import { taskApiPath, useTaskCall } from "../task-api";
import { ChangePreview } from "./change-preview";

const STATUS_STYLES: Record<ChangeRequestView["status"], string> = {
  open: "bg-sky-100 text-sky-900",
  approved: "bg-emerald-100 text-emerald-900",
  applied: "bg-slate-100 text-slate-700",
  rejected: "bg-red-100 text-red-800",
  cancelled: "bg-slate-100 text-slate-600",
  stale: "bg-amber-100 text-amber-900",
};

export type ChangeRequestItem = Omit<
  ChangeRequestView,
  "createdAt" | "updatedAt" | "decidedAt" | "appliedAt"
> & {
  createdAt: Date | string;
  decidedAt: Date | string | null;
  /** Made by the signed-in user (who cannot decide it). */
  mine: boolean;
};

function RequestDetail({ project, task, id }: { project: string; task: string; id: string }) {
  const detail = useQuery({
    queryKey: ["change-request", project, task, id],
    queryFn: () =>
      apiRequest<ChangeRequestDetail>("GET", taskApiPath(project, task, `/change-requests/${id}`)),
  });
  if (detail.isPending) return <p className="text-sm text-slate-500">Loading the diff and evaluations…</p>;
  if (detail.isError) return <Alert tone="error">{errorMessage(detail.error)}</Alert>;
  const d = detail.data;
  return (
    <ChangePreview
      project={project}
      fromVersion={d.fromVersion}
      toVersion={d.toVersion}
      fields={d.diff}
      variableChanges={d.variableChanges}
      evaluations={d.evaluations}
      openDiff={d.status === "open"}
    />
  );
}

function Actions({
  project,
  task,
  request,
  canEdit,
  canAdmin,
}: {
  project: string;
  task: string;
  request: ChangeRequestItem;
  canEdit: boolean;
  canAdmin: boolean;
}) {
  const act = useTaskCall<"approve" | "reject" | "apply" | "cancel">(project, task, (action) => ({
    method: "POST",
    path: `/change-requests/${request.id}/${action}`,
  }));
  const mine = request.mine;
  const button = (
    action: "approve" | "reject" | "apply" | "cancel",
    text: string,
    variant: "primary" | "secondary" | "danger" | "ghost",
  ) => (
    <Button
      key={action}
      variant={variant}
      className="px-2 py-1"
      pending={act.isPending && act.variables === action}
      disabled={act.isPending}
      onClick={() => act.mutate(action)}
    >
      {text}
    </Button>
  );
  const buttons = [
    request.status === "open" && canAdmin && !mine ? button("approve", "Approve", "primary") : null,
    request.status === "open" && canAdmin && !mine ? button("reject", "Reject", "danger") : null,
    request.status === "approved" && canEdit ? button("apply", "Apply", "primary") : null,
    (request.status === "open" || request.status === "approved") && (mine || canAdmin)
      ? button("cancel", "Cancel request", "ghost")
      : null,
  ].filter(Boolean);
  return (
    <div className="space-y-2">
      {request.status === "open" && mine ? (
        <p className="text-xs text-slate-600">Waiting for another admin or owner to approve it.</p>
      ) : null}
      {request.status === "open" && !canAdmin ? (
        <p className="text-xs text-slate-600">An admin or owner other than the requester approves it.</p>
      ) : null}
      {buttons.length ? <div className="flex flex-wrap gap-2">{buttons}</div> : null}
      {act.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(act.error)}
        </p>
      ) : null}
    </div>
  );
}

export function ChangeRequestsPanel({
  project,
  task,
  requests,
  canEdit,
  canAdmin,
}: {
  project: string;
  task: string;
  requests: ChangeRequestItem[];
  canEdit: boolean;
  canAdmin: boolean;
}) {
  const [shown, setShown] = useState<Set<string>>(new Set());
  const pending = (r: ChangeRequestItem) => r.status === "open" || r.status === "approved";
  if (requests.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No change requests. A protected label moves only through one: use Request change next to it.
      </p>
    );
  return (
    <ol className="space-y-3" aria-label="Change requests">
      {requests.map((request) => {
        const open = pending(request) || shown.has(request.id);
        return (
          <li
            key={request.id}
            className="rounded-md border border-slate-200 p-3"
            data-request-status={request.status}
          >
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[request.status]}`}>
                {request.status}
              </span>
              <span>
                <code className="font-semibold">{request.label}</code>:{" "}
                {request.fromVersion === null ? "add at" : `version ${request.fromVersion} →`} version{" "}
                {request.toVersion}
              </span>
              <span className="text-xs text-slate-500">
                requested by {request.requestedBy} · <Time value={request.createdAt} />
              </span>
              {request.decidedBy ? (
                <span className="text-xs text-slate-500">
                  {request.status === "rejected" ? "rejected" : "approved"} by {request.decidedBy}
                </span>
              ) : null}
            </div>
            {request.reason ? <p className="mt-1 text-sm text-slate-700">“{request.reason}”</p> : null}
            {request.evaluationRunId ? (
              <p className="mt-1 text-xs">
                Cites{" "}
                <Link
                  href={`/projects/${project}/runs/${request.evaluationRunId}`}
                  className="text-indigo-700 hover:underline"
                >
                  run {request.evaluationRunId.slice(0, 8)}
                </Link>
              </p>
            ) : null}
            {request.status === "stale" ? (
              <p className="mt-2 text-sm text-amber-900">
                <span aria-hidden="true">⚠ </span>Stale: <code>{request.label}</code> moved since this request
                was made, so it cannot be applied. Make a new request from where the label is now.
              </p>
            ) : null}
            <div className="mt-3 space-y-3">
              {open ? (
                <RequestDetail project={project} task={task} id={request.id} />
              ) : (
                <Button
                  variant="ghost"
                  className="px-2 py-1"
                  onClick={() => setShown(new Set([...shown, request.id]))}
                >
                  Show diff and evaluations
                </Button>
              )}
              <Actions
                project={project}
                task={task}
                request={request}
                canEdit={canEdit}
                canAdmin={canAdmin}
              />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
