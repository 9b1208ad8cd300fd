"use client";

// The project's own settings (admins): its name (the slug in every address stays) and archiving.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { apiRequest, describeError } from "@/lib/http/client";

const LABELS = { name: "Project name" } as const;

function useProjectChange(project: string) {
  const router = useRouter();
  return useMutation({
    mutationFn: (change: { name?: string; archived?: boolean }) =>
      apiRequest<{ name: string; archivedAt: string | null }>("PATCH", `/api/v1/projects/${project}`, change),
    onSuccess: () => router.refresh(),
  });
}

export function RenameProjectForm({ project, name }: { project: string; name: string }) {
  const ids = useId();
  const rename = useProjectChange(project);
  const [value, setValue] = useState(name);
  const worded = rename.error ? describeError(rename.error, LABELS) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ name: value });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      {worded ? <Alert tone="error">{worded.summary}</Alert> : null}
      {rename.isSuccess && !worded ? <Alert tone="success">Renamed to “{rename.data.name}”.</Alert> : null}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <TextField
            id={`${ids}-name`}
            label={LABELS.name}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            required
            maxLength={100}
            hint={`Its address stays /projects/${project}.`}
            error={worded?.fields.name}
          />
        </div>
        <Button type="submit" pending={rename.isPending} disabled={value.trim() === name}>
          Rename
        </Button>
      </div>
    </form>
  );
}

/** Archive (after a confirmation) or unarchive the project. */
export function ArchiveProjectControl({ project, archived }: { project: string; archived: boolean }) {
  const change = useProjectChange(project);
  const [confirming, setConfirming] = useState(false);
  const error = change.error ? describeError(change.error).summary : null;
  return (
    <div className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {archived ? (
        <Button
          variant="secondary"
          pending={change.isPending}
          onClick={() => change.mutate({ archived: false })}
        >
          Unarchive project
        </Button>
      ) : confirming ? (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-slate-700">
            Archive this project? It leaves the project list and takes no new runs, batches or dataset
            changes.
          </p>
          <Button
            variant="danger"
            pending={change.isPending}
            onClick={() => change.mutate({ archived: true }, { onSuccess: () => setConfirming(false) })}
          >
            Archive
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Archive project…
        </Button>
      )}
    </div>
  );
}
