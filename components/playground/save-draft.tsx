"use client";

// "Save as new version": the column's draft becomes the task's next immutable version (the authoring
// API of the prompt editor), with a message saying why; the column then shows that version.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { taskApiPath } from "@/components/prompts/task-api";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { type ColumnState, draftBody } from "./playground-model";

export function SaveDraft({
  project,
  task,
  column,
  position,
  onSaved,
}: {
  project: string;
  task: string;
  column: ColumnState;
  position: number;
  onSaved: (version: number) => void;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState("");
  const save = useMutation({
    mutationFn: () => {
      const draft = column.draft!;
      return apiRequest<{ version: number }>("POST", taskApiPath(project, task, "/versions"), {
        ...draftBody(draft),
        model: column.model || draft.basedOn.model,
        message,
      });
    },
    onSuccess: (saved) => {
      setOpen(false);
      setMessage("");
      onSaved(saved.version);
      router.refresh();
    },
  });
  const id = `${column.key}-message`;
  if (!column.draft && !save.isSuccess) return null;
  if (!open || !column.draft)
    return (
      <div className="flex flex-wrap items-center gap-2">
        {column.draft ? (
          <Button variant="secondary" className="py-1 text-xs" onClick={() => setOpen(true)}>
            Save as new version
          </Button>
        ) : null}
        {save.isSuccess ? (
          <p role="status" className="text-xs text-emerald-800">
            Saved as{" "}
            <Link
              className="underline"
              href={`/projects/${project}/prompts/${encodeURIComponent(task)}?version=${save.data.version}`}
            >
              version {save.data.version}
            </Link>
            .
          </p>
        ) : null}
      </div>
    );
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <form
      className="w-full space-y-2 rounded-md border border-slate-200 p-3"
      aria-label={`Save the draft of column ${position}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <TextField
        id={id}
        label="Why this version (its message)"
        value={message}
        required
        error={fieldErrors.message}
        onChange={(e) => setMessage(e.target.value)}
      />
      {save.isError && !fieldErrors.message ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(save.error)}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" className="py-1 text-xs" pending={save.isPending}>
          Save version
        </Button>
        <Button variant="ghost" className="py-1 text-xs" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
