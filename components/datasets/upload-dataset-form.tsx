"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ChangeEvent, type FormEvent, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, describeError, errorMessage } from "@/lib/http/client";
import { formatBytes } from "@/lib/http/error-wording";
import { datasetNameOfFile } from "@/lib/services/dataset-names";
import { checkUploadFile, SUPPORTED_FILES } from "./file-checks";
import { type FileFormat, guessExpected, guessId, readFileColumns } from "./file-columns";
import { sendFile } from "./send-file";
import { type Problem, ValidationReport } from "./validation-report";

/** The latest version of the dataset a new version is uploaded to: the defaults of the form. */
export interface UploadTarget {
  id: string;
  name: string;
  expectedColumn: string;
  inputColumns: string[];
  idColumn: string | null;
  splits: { validation: number; test: number; seed: number };
}

interface UploadResult {
  created: boolean;
  dataset: { id: string; name: string };
  version: { version: number; rowCount: number };
}

const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: "text/csv",
  jsonl: "application/x-ndjson",
  json: "application/json",
};

const percent = (fraction: number) => String(Math.round(fraction * 1000) / 10);

/** The form's fields by query parameter (the spec of an upload travels in the query string). */
const UPLOAD_LABELS = {
  name: "Dataset name",
  filename: "File",
  format: "File",
  expected: "Expected output column",
  id: "Id column (optional)",
  inputs: "Input variables",
  validation: "Validation %",
  test: "Test %",
  seed: "Seed",
} as const;

/** The rows of the file that cannot be used, when the answer lists them. */
function problemsOf(error: unknown): { problems: Problem[]; count: number } | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const { problems, problemCount } = error.details;
  if (!problems?.length) return null;
  return { problems, count: problemCount ?? problems.length };
}

/**
 * Upload a CSV, JSONL or JSON file: the columns are read in the browser to offer the mapping, the file
 * is sent as is; a file with problems comes back with the report and nothing stored.
 */
export function UploadDatasetForm({
  project,
  target,
  maxBytes,
}: {
  project: string;
  target?: UploadTarget;
  /** The server's upload limit (STROP_MAX_UPLOAD_BYTES): larger files are refused before sending. */
  maxBytes: number;
}) {
  const router = useRouter();
  const ids = useId();
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<FileFormat | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [expected, setExpected] = useState(target?.expectedColumn ?? "");
  const [idColumn, setIdColumn] = useState(target?.idColumn ?? "");
  const [inputs, setInputs] = useState<string[]>(target?.inputColumns ?? []);
  const [validation, setValidation] = useState(percent(target?.splits.validation ?? 0.25));
  const [test, setTest] = useState(percent(target?.splits.test ?? 0.25));
  const [seed, setSeed] = useState(String(target?.splits.seed ?? 42));
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState(0);

  const upload = useMutation({
    mutationFn: (url: string) =>
      sendFile<UploadResult>(url, file!, CONTENT_TYPES[format!], (fraction) => setProgress(fraction)),
    onSuccess: (result) => {
      if (!target) router.push(`/projects/${project}/datasets/${result.dataset.id}`);
      else router.refresh();
    },
  });
  const worded = upload.error ? describeError(upload.error, UPLOAD_LABELS) : null;
  const fields: Partial<Record<keyof typeof UPLOAD_LABELS, string>> = worded?.fields ?? {};
  const report = problemsOf(upload.error);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    upload.reset();
    const chosen = event.currentTarget.files?.[0] ?? null;
    setFile(chosen);
    setColumns([]);
    setFileError(null);
    setFormat(null);
    if (!chosen) return;
    const check = checkUploadFile(chosen, maxBytes);
    if (!check.ok) {
      setFileError(check.problem);
      return;
    }
    const detected = check.format;
    setFormat(detected);
    if (!target && !name) setName(datasetNameOfFile(chosen.name));
    const found = await readFileColumns(chosen, detected);
    setColumns(found);
    if (found.length === 0) return;
    const exp =
      target && found.includes(target.expectedColumn) ? target.expectedColumn : guessExpected(found);
    const id = target
      ? target.idColumn && found.includes(target.idColumn)
        ? target.idColumn
        : ""
      : guessId(found);
    setExpected(exp);
    setIdColumn(id);
    const previous = target?.inputColumns.filter((c) => found.includes(c)) ?? [];
    setInputs(previous.length ? previous : found.filter((c) => c !== exp && c !== id));
  }

  function onExpected(value: string) {
    setExpected(value);
    setInputs((current) => current.filter((c) => c !== value));
  }

  function onIdColumn(value: string) {
    setIdColumn(value);
    setInputs((current) => current.filter((c) => c !== value));
  }

  function toggleInput(column: string, checked: boolean) {
    setInputs((current) =>
      checked
        ? columns.filter((c) => c === column || current.includes(c))
        : current.filter((c) => c !== column),
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setFileError(`Choose a ${SUPPORTED_FILES} file to upload.`);
      return;
    }
    const check = checkUploadFile(file, maxBytes);
    if (!check.ok || !format) {
      // The problem found when the file was chosen stays: nothing is sent.
      setFileError(check.ok ? "This file cannot be read. Choose it again." : check.problem);
      return;
    }
    if (columns.length > 0 && inputs.length === 0) {
      setFileError("Choose at least one input column.");
      return;
    }
    setFileError(null);
    setProgress(0);
    const query = new URLSearchParams({ filename: file.name, format });
    if (!target) query.set("name", name.trim());
    if (expected) query.set("expected", expected);
    if (idColumn) query.set("id", idColumn);
    for (const column of columns.length ? inputs : []) query.append("inputs", column);
    query.set("validation", String(Number(validation) / 100));
    query.set("test", String(Number(test) / 100));
    query.set("seed", seed);
    const base = `/api/v1/projects/${project}/datasets`;
    upload.mutate(target ? `${base}/${target.id}/versions?${query}` : `${base}?${query}`);
  }

  const candidates = columns.filter((c) => c !== expected && c !== idColumn);
  const splitError = fields.validation ?? fields.test ?? fields.seed;

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-describedby={`${ids}-about`}>
      <p id={`${ids}-about`} className="text-sm text-slate-600">
        CSV with a header row, JSONL (one object per line) or JSON (an array of objects), UTF-8. Map the
        columns, then upload: a file with problems is not stored, and the rows to fix are listed.
      </p>
      {upload.isError && !report && worded ? <Alert tone="error">{worded.summary}</Alert> : null}
      {upload.isSuccess && target ? (
        <Alert tone="success">
          {upload.data.created
            ? `Version ${upload.data.version.version} stored: ${upload.data.version.rowCount} rows.`
            : `Same content as version ${upload.data.version.version}: nothing new was stored.`}
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {!target ? (
          <TextField
            id={`${ids}-name`}
            name="name"
            label="Dataset name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            maxLength={100}
            error={fields.name}
          />
        ) : null}
        <TextField
          id={`${ids}-file`}
          name="file"
          type="file"
          label={target ? "New version file" : "File"}
          accept=".csv,.jsonl,.ndjson,.json,text/csv,application/json"
          onChange={onFile}
          required
          hint={`CSV, JSONL or JSON, up to ${formatBytes(maxBytes)}`}
          error={fileError ?? fields.format ?? fields.filename}
        />
      </div>

      {file && format && columns.length === 0 ? (
        <Alert tone="warning">
          No columns could be read from the start of this file. Name the expected output column; the server
          checks the rest.
        </Alert>
      ) : null}

      {file && format ? (
        <fieldset className="space-y-4 rounded-md border border-slate-200 p-4">
          <legend className="px-1 text-sm font-medium">Column mapping</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            {columns.length ? (
              <SelectField
                id={`${ids}-expected`}
                label="Expected output column"
                value={expected}
                onChange={(e) => onExpected(e.currentTarget.value)}
                options={columns.map((c) => ({ value: c, label: c }))}
                error={fields.expected}
              />
            ) : (
              <TextField
                id={`${ids}-expected`}
                label="Expected output column"
                value={expected}
                onChange={(e) => setExpected(e.currentTarget.value)}
                required
                error={fields.expected}
              />
            )}
            {columns.length ? (
              <SelectField
                id={`${ids}-id`}
                label="Id column (optional)"
                value={idColumn}
                onChange={(e) => onIdColumn(e.currentTarget.value)}
                options={[
                  { value: "", label: "None: use row numbers" },
                  ...columns.filter((c) => c !== expected).map((c) => ({ value: c, label: c })),
                ]}
                hint="Unique per row; edits address rows by id."
                error={fields.id}
              />
            ) : null}
          </div>
          {columns.length ? (
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Input variables</legend>
              <p className="text-xs text-slate-500">
                Columns the prompt template can use as {"{{variables}}"}. Unchecked columns are kept with each
                row.
              </p>
              <ul className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
                {candidates.map((column) => (
                  <li key={column}>
                    <label className="flex items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        checked={inputs.includes(column)}
                        onChange={(e) => toggleInput(column, e.currentTarget.checked)}
                        className="size-4 rounded border-slate-300"
                      />
                      <span className="font-mono text-xs">{column}</span>
                    </label>
                  </li>
                ))}
              </ul>
              {fields.inputs ? <p className="mt-1 text-sm text-red-700">{fields.inputs}</p> : null}
            </fieldset>
          ) : null}
        </fieldset>
      ) : null}

      <fieldset className="rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium">Splits</legend>
        <p className="mb-3 text-xs text-slate-500">
          Held-out shares of the rows for validation and test (the rest trains), shuffled with the seed.
          Stored with the version; runs start from it.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            id={`${ids}-validation`}
            label="Validation %"
            type="number"
            min={1}
            max={89}
            step="any"
            value={validation}
            onChange={(e) => setValidation(e.currentTarget.value)}
          />
          <TextField
            id={`${ids}-test`}
            label="Test %"
            type="number"
            min={1}
            max={89}
            step="any"
            value={test}
            onChange={(e) => setTest(e.currentTarget.value)}
          />
          <TextField
            id={`${ids}-seed`}
            label="Seed"
            type="number"
            min={0}
            step={1}
            value={seed}
            onChange={(e) => setSeed(e.currentTarget.value)}
          />
        </div>
        {splitError ? <p className="mt-2 text-sm text-red-700">{splitError}</p> : null}
      </fieldset>

      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" pending={upload.isPending}>
          {target ? "Upload new version" : "Upload dataset"}
        </Button>
        {upload.isPending ? (
          <div className="flex items-center gap-2 text-sm text-slate-600" aria-live="polite">
            <label htmlFor={`${ids}-progress`}>{progress < 1 ? "Uploading" : "Checking and saving"}</label>
            <progress id={`${ids}-progress`} max={1} value={progress} className="h-2 w-40" />
          </div>
        ) : null}
        {upload.isSuccess && !target ? (
          <Link
            className="text-sm text-indigo-700 underline"
            href={`/projects/${project}/datasets/${upload.data.dataset.id}`}
          >
            Open {upload.data.dataset.name}
          </Link>
        ) : null}
      </div>

      {report ? (
        <ValidationReport
          problems={report.problems}
          count={report.count}
          message={errorMessage(upload.error)}
        />
      ) : null}
    </form>
  );
}
