"use client";

// Add a label or move one (editors): the label (production, staging or your own name when adding), the
// version, why, and the evaluation it cites (PUT …/labels/{label}). When the server refuses because the
// label is protected, the form turns into a change request; when the variables callers must send differ,
// it says which and moves only after "Move anyway".
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, errorMessage } from "@/lib/http/client";
import { useTaskCall } from "../task-api";
import {
  isProtectedRefusal,
  type LabelChoices,
  RESERVED_LABELS,
  runOptionLabel,
  variablesChangedBy,
} from "./label-choices";
import { RequestChangeForm } from "./request-change-form";
import { VariableChangeWarning } from "./variable-change-warning";

const CUSTOM = "";

type MoveInput = {
  label: string;
  version: number;
  reason: string;
  evaluationRunId?: string;
  confirmVariableChange: boolean;
  expectedVersion?: number | null;
};

export function MoveLabelForm({
  project,
  task,
  label,
  labelVersion,
  existing,
  choices,
  initialVersion,
  onDone,
}: {
  project: string;
  task: string;
  /** The label to move; null: add one (its name is chosen here). */
  label: string | null;
  /** Where the label is now (null when adding). */
  labelVersion: number | null;
  /** Names of the task's labels (adding one of them moves it). */
  existing: string[];
  choices: LabelChoices;
  initialVersion?: number;
  onDone: () => void;
}) {
  const suggested = RESERVED_LABELS.find((name) => !existing.includes(name)) ?? CUSTOM;
  const [preset, setPreset] = useState<string>(suggested);
  const [custom, setCustom] = useState("");
  const [version, setVersion] = useState(
    initialVersion ?? choices.versions.find((v) => v !== labelVersion) ?? choices.versions[0] ?? 1,
  );
  const [reason, setReason] = useState("");
  const [run, setRun] = useState("");
  const [requesting, setRequesting] = useState(false);
  const name = label ?? (preset === CUSTOM ? custom.trim() : preset);
  const move = useTaskCall<MoveInput>(
    project,
    task,
    ({ label: target, ...body }) => ({
      method: "PUT",
      path: `/labels/${encodeURIComponent(target)}`,
      body,
    }),
    { onSuccess: onDone },
  );
  const input = (confirm: boolean): MoveInput => ({
    label: name,
    version,
    reason,
    evaluationRunId: run || undefined,
    confirmVariableChange: confirm,
    // Moving: only from where the page showed it (409 if someone moved it meanwhile).
    ...(label !== null ? { expectedVersion: labelVersion } : {}),
  });
  const fields = move.error instanceof ApiError ? move.error.fieldErrors : {};
  const refusedFor = variablesChangedBy(move.error);

  if (requesting)
    return (
      <RequestChangeForm
        project={project}
        task={task}
        label={name}
        labelVersion={
          move.error instanceof ApiError ? (move.error.details.labelVersion ?? labelVersion) : labelVersion
        }
        choices={choices}
        initialVersion={version}
        onDone={onDone}
      />
    );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    move.mutate(input(false));
  }

  const id = `label-${label ?? "new"}`;
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="space-y-3"
      aria-label={label ? `Move ${label}` : "Add a label"}
    >
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
        {label === null ? (
          <div className="space-y-2">
            <SelectField
              id={`${id}-name`}
              label="Label"
              value={preset}
              onChange={(e) => setPreset(e.target.value)}
              options={[
                ...RESERVED_LABELS.map((n) => ({
                  value: n,
                  label: existing.includes(n) ? `${n} (move it)` : n,
                })),
                { value: CUSTOM, label: "Your own name…" },
              ]}
              error={preset === CUSTOM ? undefined : fields.label}
            />
            {preset === CUSTOM ? (
              <TextField
                id={`${id}-custom`}
                label="Label name"
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
                placeholder="canary"
                hint="Lower-case letters, digits, - _ ."
                required
              />
            ) : null}
          </div>
        ) : null}
        <SelectField
          id={`${id}-version`}
          label={label ? `Move ${label} to` : "Version"}
          value={String(version)}
          onChange={(e) => setVersion(Number(e.target.value))}
          options={choices.versions.map((v) => ({
            value: String(v),
            label: `Version ${v}${v === labelVersion ? " (now)" : ""}`,
          }))}
          error={fields.version}
        />
        <TextField
          id={`${id}-reason`}
          label="Reason (optional)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={fields.reason}
        />
        <SelectField
          id={`${id}-run`}
          label="Cited evaluation (optional)"
          value={run}
          onChange={(e) => setRun(e.target.value)}
          options={[
            { value: "", label: "None" },
            ...choices.runs.map((r) => ({ value: r.id, label: runOptionLabel(r) })),
          ]}
          error={fields.evaluationRunId}
        />
      </div>
      {isProtectedRefusal(move.error) ? (
        <Alert tone="warning" title={`${name} is protected`}>
          <p>A protected label moves only through a change request approved by another admin or owner.</p>
          <div className="mt-2">
            <Button onClick={() => setRequesting(true)}>Request change</Button>
          </div>
        </Alert>
      ) : refusedFor ? (
        <VariableChangeWarning
          label={name}
          variables={refusedFor}
          confirmText="Move anyway"
          pending={move.isPending}
          onConfirm={() => move.mutate(input(true))}
        />
      ) : move.isError && !Object.keys(fields).length ? (
        <Alert tone="error">{errorMessage(move.error)}</Alert>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" pending={move.isPending}>
          {label ? "Move label" : "Add label"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
