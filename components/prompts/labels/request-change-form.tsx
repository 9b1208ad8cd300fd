"use client";

// "Request change" for a protected label (editors): pick the version, say why, cite an evaluation. Before
// sending, it shows what the move would change — the diff from the label's version, the variables
// callers must send, both versions' scores on the same data (GET …/compare) — and asks for confirmation
// when the variables differ. An admin other than the requester approves it; then it is applied.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { changedVariableNames } from "@/lib/core/variables";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import type { VersionComparison } from "@/lib/validation/prompt-compare";
import { taskApiPath, useTaskCall } from "../task-api";
import { ChangePreview } from "./change-preview";
import { type LabelChoices, runOptionLabel, variablesChangedBy } from "./label-choices";
import { VariableChangeWarning } from "./variable-change-warning";

type RequestInput = {
  version: number;
  reason: string;
  evaluationRunId?: string;
  confirmVariableChange: boolean;
};

export function RequestChangeForm({
  project,
  task,
  label,
  labelVersion,
  choices,
  initialVersion,
  onDone,
}: {
  project: string;
  task: string;
  label: string;
  /** Where the label is now (null: it does not exist yet). */
  labelVersion: number | null;
  choices: LabelChoices;
  initialVersion?: number;
  onDone: () => void;
}) {
  const others = choices.versions.filter((v) => v !== labelVersion);
  const [version, setVersion] = useState(initialVersion ?? others[0] ?? 1);
  const [reason, setReason] = useState("");
  const [run, setRun] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const compare = useQuery({
    queryKey: ["prompt-compare", project, task, labelVersion, version],
    queryFn: () =>
      apiRequest<VersionComparison>(
        "GET",
        taskApiPath(project, task, `/compare?from=${labelVersion}&to=${version}`),
      ),
    enabled: labelVersion !== null && labelVersion !== version,
  });
  const request = useTaskCall<RequestInput>(
    project,
    task,
    (input) => ({ method: "POST", path: "/change-requests", body: { label, ...input } }),
    { onSuccess: onDone },
  );
  const changedVariables = compare.data ? changedVariableNames(compare.data.variables.required) : [];
  const refusedFor = variablesChangedBy(request.error);
  const input = (confirm: boolean): RequestInput => ({
    version,
    reason,
    evaluationRunId: run || undefined,
    confirmVariableChange: confirm,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate(input(confirmed));
  }

  const score = compare.data?.scores[0];
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={`Request a change of ${label}`}>
      <p className="text-sm text-slate-700">
        <code>{label}</code> is protected: it moves only through a change request that another admin or owner
        approves, then someone applies.
      </p>
      <div className="grid gap-3 md:grid-cols-3">
        <SelectField
          id={`request-${label}-version`}
          label="Move to version"
          value={String(version)}
          onChange={(e) => {
            setVersion(Number(e.target.value));
            setConfirmed(false);
          }}
          options={others.map((v) => ({ value: String(v), label: `Version ${v}` }))}
        />
        <TextField
          id={`request-${label}-reason`}
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={request.error instanceof ApiError ? request.error.fieldErrors.reason : undefined}
          required
        />
        <SelectField
          id={`request-${label}-run`}
          label="Cited evaluation (optional)"
          value={run}
          onChange={(e) => setRun(e.target.value)}
          options={[
            { value: "", label: "None" },
            ...choices.runs.map((r) => ({ value: r.id, label: runOptionLabel(r) })),
          ]}
        />
      </div>
      {labelVersion === null ? (
        <p className="text-sm text-slate-600">
          The label does not exist yet: approved and applied, it is added at version {version}.
        </p>
      ) : compare.isPending ? (
        <p className="text-sm text-slate-500">
          Comparing version {labelVersion} with version {version}…
        </p>
      ) : compare.isError ? (
        <Alert tone="error">{errorMessage(compare.error)}</Alert>
      ) : compare.data ? (
        <ChangePreview
          project={project}
          fromVersion={labelVersion}
          toVersion={version}
          fields={compare.data.fields}
          variableChanges={compare.data.variables.required}
          evaluations={{ from: score?.from ?? null, to: score?.to ?? null }}
          missing="no score on a dataset both versions were evaluated on"
          openDiff
        />
      ) : null}
      {changedVariables.length > 0 ? (
        <label className="flex items-start gap-2 text-sm text-amber-900">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.target.checked)}
            className="mt-1"
          />
          I understand that applications must send other variables ({changedVariables.join(", ")}).
        </label>
      ) : null}
      {refusedFor ? (
        <VariableChangeWarning
          label={label}
          variables={refusedFor}
          confirmText="Request anyway"
          pending={request.isPending}
          onConfirm={() => request.mutate(input(true))}
        />
      ) : request.isError ? (
        <Alert tone="error">{errorMessage(request.error)}</Alert>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" pending={request.isPending}>
          Request change
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
