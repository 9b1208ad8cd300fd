"use client";

// Editing a dataset's rows from its page: change a row's cells and expected value, add a row, delete a
// row. Each save is one call to the row-edit API (PATCH …/examples), which makes the next version from
// the latest (the old one stays); the page then shows the new version.
import { useMutation } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { TextAreaField } from "@/components/settings/text-area-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { apiRequest, describeError } from "@/lib/http/client";

/** The latest version, which every edit starts from, and its columns. */
export interface RowEditTarget {
  project: string;
  dataset: string;
  baseVersion: number;
  rowCount: number;
  idColumn: string | null;
  inputColumns: string[];
  expectedColumn: string;
}

export interface EditableRow {
  id: string;
  input: Record<string, string>;
  expected: string;
}

interface RowChange {
  upsert?: { id: string; input?: Record<string, string>; expected?: string }[];
  delete?: string[];
  note: string;
}

/** One edit call; on success the page moves to the version it made. */
function useRowEdit(target: RowEditTarget) {
  const router = useRouter();
  const pathname = usePathname();
  return useMutation({
    mutationFn: (change: RowChange) =>
      apiRequest<{ version: { version: number } }>(
        "PATCH",
        `/api/v1/projects/${target.project}/datasets/${target.dataset}/examples`,
        { baseVersion: target.baseVersion, ...change },
      ),
    onSuccess: (result) => router.push(`${pathname}?version=${result.version.version}#preview-heading`),
  });
}

/** The version's note: what changed, with a long id cut short (notes hold 200 characters). */
const noteFor = (what: string, rowId: string) =>
  `row ${rowId.length > 60 ? `${rowId.slice(0, 60)}…` : rowId} ${what}`;

/** The form's fields by the API path of the row's (first and only) upsert. */
function rowLabels(target: RowEditTarget): Record<string, string> {
  return {
    "upsert.0.id": target.idColumn ? `Id (${target.idColumn})` : "Id",
    "upsert.0.expected": `${target.expectedColumn} (expected output)`,
    ...Object.fromEntries(target.inputColumns.map((c) => [`upsert.0.input.${c}`, c])),
  };
}

/** The cells of one row as a form: edit an existing row (`row`) or add a new one. */
export function RowForm({
  target,
  row,
  onCancel,
}: {
  target: RowEditTarget;
  row?: EditableRow;
  onCancel?: () => void;
}) {
  const ids = useId();
  const edit = useRowEdit(target);
  const [id, setId] = useState(row?.id ?? (target.idColumn ? "" : String(target.rowCount + 1)));
  const [input, setInput] = useState<Record<string, string>>(
    Object.fromEntries(target.inputColumns.map((c) => [c, row?.input[c] ?? ""])),
  );
  const [expected, setExpected] = useState(row?.expected ?? "");
  const worded = edit.error ? describeError(edit.error, rowLabels(target)) : null;
  const fields = worded?.fields ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const rowId = row?.id ?? id.trim();
    edit.mutate({
      upsert: [{ id: rowId, input, expected }],
      note: noteFor(row ? "edited" : "added", rowId),
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label={row ? `Edit row ${row.id}` : "Add a row"}>
      {worded ? <Alert tone="error">{worded.summary}</Alert> : null}
      {row ? null : (
        <TextField
          id={`${ids}-id`}
          label={target.idColumn ? `Id (${target.idColumn})` : "Id"}
          value={id}
          onChange={(e) => setId(e.currentTarget.value)}
          required
          maxLength={200}
          hint="Unique among the dataset's rows."
          error={fields["upsert.0.id"]}
        />
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        {target.inputColumns.map((column) => (
          <TextAreaField
            key={column}
            id={`${ids}-in-${column}`}
            label={column}
            rows={2}
            value={input[column] ?? ""}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setInput((current) => ({ ...current, [column]: value }));
            }}
            error={fields[`upsert.0.input.${column}`]}
          />
        ))}
        <TextAreaField
          id={`${ids}-expected`}
          label={`${target.expectedColumn} (expected output)`}
          rows={2}
          value={expected}
          onChange={(e) => setExpected(e.currentTarget.value)}
          required
          error={fields["upsert.0.expected"]}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={edit.isPending}>
          {row ? "Save as a new version" : "Add row as a new version"}
        </Button>
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <p className="text-xs text-slate-500">
          Makes version {target.baseVersion + 1}; version {target.baseVersion} stays as it is.
        </p>
      </div>
    </form>
  );
}

/** Delete one row (after a confirmation): the next version leaves it out. */
export function DeleteRowButton({ target, rowId }: { target: RowEditTarget; rowId: string }) {
  const edit = useRowEdit(target);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button variant="ghost" onClick={() => setConfirming(true)} aria-label={`Delete row ${rowId}`}>
        Delete
      </Button>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Button
        variant="danger"
        pending={edit.isPending}
        onClick={() => edit.mutate({ delete: [rowId], note: noteFor("deleted", rowId) })}
      >
        Delete row {rowId}
      </Button>
      <Button variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
      {edit.isError ? (
        <span role="alert" className="text-sm text-red-700">
          {describeError(edit.error).summary}
        </span>
      ) : null}
    </span>
  );
}
