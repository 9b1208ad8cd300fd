"use client";

// The task's labels: where each points, whether it is protected, who moved it last — and, by role, what
// can be done with it: move (or request a change of a protected one), roll back in one click, remove,
// protect or unprotect (admins), add a label. `latest` is listed too; it always means the newest version.
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/page";
import { errorMessage } from "@/lib/http/client";
import { useTaskCall } from "../task-api";
import type { LabelChoices } from "./label-choices";
import { variablesChangedBy } from "./label-choices";
import { MoveLabelForm } from "./move-label-form";
import { RequestChangeForm } from "./request-change-form";
import { VariableChangeWarning } from "./variable-change-warning";

export interface LabelRow {
  name: string;
  version: number;
  protected: boolean;
  updatedBy: string | null;
  updatedAt: Date | string;
}

type Open = { label: string; form: "move" | "request" } | { label: null; form: "add" } | null;

function RollbackButton({ project, task, label }: { project: string; task: string; label: string }) {
  const rollback = useTaskCall<{ confirm: boolean }>(project, task, ({ confirm }) => ({
    method: "POST",
    path: `/labels/${encodeURIComponent(label)}/rollback`,
    body: { reason: "Rolled back from the task page", confirmVariableChange: confirm },
  }));
  const refusedFor = variablesChangedBy(rollback.error);
  return (
    <>
      <Button
        variant="secondary"
        className="px-2 py-1"
        pending={rollback.isPending}
        onClick={() => rollback.mutate({ confirm: false })}
      >
        Roll back
      </Button>
      {refusedFor ? (
        <div className="basis-full">
          <VariableChangeWarning
            label={label}
            variables={refusedFor}
            confirmText="Roll back anyway"
            pending={rollback.isPending}
            onConfirm={() => rollback.mutate({ confirm: true })}
          />
        </div>
      ) : rollback.isError ? (
        <p role="alert" className="basis-full text-sm text-red-700">
          {errorMessage(rollback.error)}
        </p>
      ) : null}
    </>
  );
}

function RemoveButton({ project, task, label }: { project: string; task: string; label: string }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useTaskCall(project, task, () => ({
    method: "DELETE",
    path: `/labels/${encodeURIComponent(label)}`,
  }));
  if (!confirming)
    return (
      <Button variant="ghost" className="px-2 py-1" onClick={() => setConfirming(true)}>
        Remove
      </Button>
    );
  return (
    <>
      <Button
        variant="danger"
        className="px-2 py-1"
        pending={remove.isPending}
        onClick={() => remove.mutate()}
      >
        Remove {label}
      </Button>
      <Button variant="ghost" className="px-2 py-1" onClick={() => setConfirming(false)}>
        Keep
      </Button>
      {remove.isError ? (
        <p role="alert" className="basis-full text-sm text-red-700">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </>
  );
}

function ProtectionButton({ project, task, row }: { project: string; task: string; row: LabelRow }) {
  const toggle = useTaskCall(project, task, () => ({
    method: "PUT",
    path: `/labels/${encodeURIComponent(row.name)}/protection`,
    body: { protected: !row.protected },
  }));
  return (
    <>
      <Button
        variant="ghost"
        className="px-2 py-1"
        pending={toggle.isPending}
        onClick={() => toggle.mutate()}
      >
        {row.protected ? "Unprotect" : "Protect"}
      </Button>
      {toggle.isError ? (
        <p role="alert" className="basis-full text-sm text-red-700">
          {errorMessage(toggle.error)}
        </p>
      ) : null}
    </>
  );
}

export function LabelsPanel({
  project,
  task,
  labels,
  latest,
  choices,
  canEdit,
  canAdmin,
}: {
  project: string;
  task: string;
  labels: LabelRow[];
  latest: number | null;
  choices: LabelChoices;
  canEdit: boolean;
  canAdmin: boolean;
}) {
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const versionHref = (v: number) => `/projects/${project}/prompts/${encodeURIComponent(task)}?version=${v}`;
  return (
    <div className="space-y-4">
      <ul className="divide-y divide-slate-100" aria-label="Labels">
        {labels.map((row) => (
          <li key={row.name} className="py-3" data-label={row.name}>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
              <span className="flex min-w-40 items-center gap-2">
                <code className="rounded bg-slate-100 px-2 py-0.5 text-sm font-semibold">{row.name}</code>
                {row.protected ? (
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                    <span aria-hidden="true">🔒 </span>protected
                  </span>
                ) : null}
              </span>
              <Link href={versionHref(row.version)} className="font-medium text-indigo-700 hover:underline">
                version {row.version}
              </Link>
              <span className="text-xs text-slate-500">
                {row.updatedBy ? `by ${row.updatedBy} · ` : ""}
                <Time value={row.updatedAt} />
              </span>
              {canEdit ? (
                <span className="ml-auto flex flex-wrap items-center gap-2">
                  {row.protected ? (
                    <Button
                      variant="secondary"
                      className="px-2 py-1"
                      onClick={() => setOpen({ label: row.name, form: "request" })}
                    >
                      Request change
                    </Button>
                  ) : (
                    <>
                      <Button
                        variant="secondary"
                        className="px-2 py-1"
                        onClick={() => setOpen({ label: row.name, form: "move" })}
                      >
                        Move
                      </Button>
                      <RollbackButton project={project} task={task} label={row.name} />
                      <RemoveButton project={project} task={task} label={row.name} />
                    </>
                  )}
                  {canAdmin ? <ProtectionButton project={project} task={task} row={row} /> : null}
                </span>
              ) : null}
            </div>
            {open?.label === row.name ? (
              <div className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3">
                {open.form === "request" ? (
                  <RequestChangeForm
                    project={project}
                    task={task}
                    label={row.name}
                    labelVersion={row.version}
                    choices={choices}
                    onDone={close}
                  />
                ) : (
                  <MoveLabelForm
                    project={project}
                    task={task}
                    label={row.name}
                    labelVersion={row.version}
                    existing={labels.map((l) => l.name)}
                    choices={choices}
                    onDone={close}
                  />
                )}
              </div>
            ) : null}
          </li>
        ))}
        <li className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3" data-label="latest">
          <code className="min-w-40 text-sm font-semibold text-slate-600">latest</code>
          {latest !== null ? (
            <Link href={versionHref(latest)} className="font-medium text-indigo-700 hover:underline">
              version {latest}
            </Link>
          ) : (
            <span className="text-slate-500">no version yet</span>
          )}
          <span className="text-xs text-slate-500">always the newest version; cannot be moved</span>
        </li>
      </ul>
      {labels.length === 0 ? (
        <p className="text-sm text-slate-600">
          No labels yet. Point <code>production</code> at the version applications should get: they fetch it
          with{" "}
          <code className="break-all">
            GET /api/v1/projects/{project}/prompts/{task}
          </code>
          .
        </p>
      ) : null}
      {canEdit && choices.versions.length > 0 ? (
        open?.form === "add" ? (
          <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
            <MoveLabelForm
              project={project}
              task={task}
              label={null}
              labelVersion={null}
              existing={labels.map((l) => l.name)}
              choices={choices}
              onDone={close}
            />
          </div>
        ) : (
          <Button variant="secondary" onClick={() => setOpen({ label: null, form: "add" })}>
            Add label
          </Button>
        )
      ) : null}
      {!canEdit ? <Alert tone="info">Editors move labels; admins protect them.</Alert> : null}
    </div>
  );
}
