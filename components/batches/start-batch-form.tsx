"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { sendFile } from "@/components/datasets/send-file";
import { SIM_MODELS } from "@/components/prompts/editor/model-fields";
import { EstimatePanel, useEstimate } from "@/components/runs/run-estimate";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import type { CreatedBatch } from "@/lib/validation/batches";

export interface BatchFormTask {
  name: string;
  /** Version numbers, newest first. */
  versions: number[];
}

export interface BatchFormDataset {
  id: string;
  name: string;
  /** Newest first. */
  versions: { id: string; version: number; rowCount: number }[];
}

export interface BatchFormModel {
  name: string;
  model: string;
}

type Created = CreatedBatch;

const OTHER_MODEL = "__model_id__";

/** Fields whose messages the form shows next to a control (others go to the alert). */
const SHOWN_FIELDS = new Set([
  "task",
  "promptVersion",
  "datasetVersionId",
  "file",
  "filename",
  "format",
  "model",
  "chunkSize",
  "onMalformedRow",
]);

const FILE_TYPES: Record<string, string> = {
  csv: "text/csv",
  jsonl: "application/x-ndjson",
  ndjson: "application/x-ndjson",
};

function formatOf(name: string): "csv" | "jsonl" | null {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  if (ext === "csv") return "csv";
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  return null;
}

/** Messages by field (the first segment of each issue's path), from the query string or the body. */
function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return { ...error.fieldErrorsIn("query", 1), ...error.fieldErrorsIn("body", 1) };
}

/**
 * Start a batch: a task's prompt version over a dataset version (JSON) or an uploaded CSV/JSONL file
 * (sent as the raw body, the spec in the query string), with a model, a chunk size and what to do with
 * a malformed row. Opens the new batch's page.
 */
export function StartBatchForm({
  project,
  tasks,
  datasets,
  models,
}: {
  project: string;
  tasks: BatchFormTask[];
  datasets: BatchFormDataset[];
  models: BatchFormModel[];
}) {
  const router = useRouter();
  const ids = useId();
  const [task, setTask] = useState(tasks[0]?.name ?? "");
  const [promptVersion, setPromptVersion] = useState("");
  const [source, setSource] = useState<"dataset" | "file">(datasets.length ? "dataset" : "file");
  const [datasetVersionId, setDatasetVersionId] = useState(datasets[0]?.versions[0]?.id ?? "");
  const [file, setFile] = useState<File | null>(null);
  // The offline simulator until the project has configured a model of its own.
  const [modelChoice, setModelChoice] = useState(models[0]?.name ?? SIM_MODELS[0] ?? OTHER_MODEL);
  const [modelId, setModelId] = useState("");
  const [chunkSize, setChunkSize] = useState("100");
  const [onMalformedRow, setOnMalformedRow] = useState<"stop" | "skip">("stop");
  const [localError, setLocalError] = useState<Record<string, string>>({});
  const [uploaded, setUploaded] = useState(0);

  const versions = tasks.find((t) => t.name === task)?.versions ?? [];
  const model = modelChoice === OTHER_MODEL ? modelId.trim() : modelChoice;
  // Cost before you spend: over a dataset version (an uploaded file's rows are counted on upload).
  const estimate = useEstimate(
    `/api/v1/projects/${project}/batches/estimate`,
    source === "dataset" && task && model && datasetVersionId
      ? { task, ...(promptVersion ? { promptVersion: Number(promptVersion) } : {}), datasetVersionId, model }
      : null,
  );

  const start = useMutation({
    mutationFn: async (): Promise<Created> => {
      const base = `/api/v1/projects/${project}/batches`;
      const chunk = chunkSize.trim() === "" ? undefined : Number(chunkSize);
      if (source === "dataset") {
        return apiRequest<Created>("POST", base, {
          task,
          ...(promptVersion ? { promptVersion: Number(promptVersion) } : {}),
          datasetVersionId,
          model,
          ...(chunk !== undefined ? { chunkSize: Number.isFinite(chunk) ? chunk : chunkSize } : {}),
          onMalformedRow,
        });
      }
      const format = formatOf(file!.name)!;
      const query = new URLSearchParams({ task, model, onMalformedRow, filename: file!.name, format });
      if (promptVersion) query.set("promptVersion", promptVersion);
      if (chunkSize.trim() !== "") query.set("chunkSize", chunkSize.trim());
      return sendFile<Created>(`${base}?${query}`, file!, FILE_TYPES[format]!, setUploaded);
    },
    onSuccess: (created) => router.push(`/projects/${project}/batches/${created.id}`),
  });
  const serverErrors = fieldErrors(start.error);
  const errors = { ...serverErrors, ...localError };
  const serverFields = Object.keys(serverErrors);
  const shownInFields = serverFields.length > 0 && serverFields.every((f) => SHOWN_FIELDS.has(f));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!task) problems.task = "choose a task";
    if (!model) problems.model = 'choose a model configuration or enter a "provider:model" id';
    if (source === "dataset" && !datasetVersionId) problems.datasetVersionId = "choose a dataset version";
    if (source === "file" && !file) problems.file = "choose a .csv or .jsonl file";
    else if (source === "file" && file && !formatOf(file.name))
      problems.file = "choose a .csv or .jsonl (or .ndjson) file";
    setLocalError(problems);
    if (Object.keys(problems).length) return;
    setUploaded(0);
    start.mutate();
  }

  if (tasks.length === 0) {
    return (
      <Alert tone="info">
        This project has no task with a prompt yet: run an optimization or evaluation first (the CLI stores
        its task and prompt versions here).
      </Alert>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Start a batch">
      {start.isError && !shownInFields ? (
        <Alert tone="error" title="The batch was not started">
          {errorMessage(start.error)}
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          id={`${ids}-task`}
          label="Task"
          value={task}
          onChange={(e) => {
            setTask(e.currentTarget.value);
            setPromptVersion("");
          }}
          options={tasks.map((t) => ({ value: t.name, label: t.name }))}
          error={errors.task}
        />
        <SelectField
          id={`${ids}-version`}
          label="Prompt version"
          value={promptVersion}
          onChange={(e) => setPromptVersion(e.currentTarget.value)}
          options={[
            { value: "", label: versions.length ? `Latest (v${versions[0]})` : "Latest" },
            ...versions.map((v) => ({ value: String(v), label: `v${v}` })),
          ]}
          error={errors.promptVersion}
        />
      </div>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium">Rows</legend>
        <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${ids}-source`}
              value="dataset"
              checked={source === "dataset"}
              onChange={() => setSource("dataset")}
              disabled={datasets.length === 0}
            />
            A dataset version
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${ids}-source`}
              value="file"
              checked={source === "file"}
              onChange={() => setSource("file")}
            />
            A file (CSV or JSONL)
          </label>
        </div>
        {source === "dataset" ? (
          <SelectField
            id={`${ids}-dataset`}
            label="Dataset version"
            value={datasetVersionId}
            onChange={(e) => setDatasetVersionId(e.currentTarget.value)}
            options={datasets.flatMap((d) =>
              d.versions.map((v) => ({
                value: v.id,
                label: `${d.name} v${v.version} (${v.rowCount.toLocaleString("en-US")} rows)`,
              })),
            )}
            error={errors.datasetVersionId}
          />
        ) : (
          <TextField
            id={`${ids}-file`}
            type="file"
            label="File"
            accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              start.reset();
            }}
            hint="A header row (CSV) or one object per line (JSONL); the columns are the prompt's variables."
            error={errors.file ?? errors.filename ?? errors.format}
          />
        )}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          id={`${ids}-model`}
          label="Model"
          value={modelChoice}
          onChange={(e) => setModelChoice(e.currentTarget.value)}
          options={[
            ...models.map((m) => ({ value: m.name, label: `${m.name} (${m.model})` })),
            ...SIM_MODELS.map((m) => ({ value: m, label: `${m} (offline simulator)` })),
            { value: OTHER_MODEL, label: "Another model id…" },
          ]}
          hint="A model configuration of this project (Settings), or any provider:model id."
          error={modelChoice === OTHER_MODEL ? undefined : errors.model}
        />
        {modelChoice === OTHER_MODEL ? (
          <TextField
            id={`${ids}-model-id`}
            label="Model id"
            value={modelId}
            onChange={(e) => setModelId(e.currentTarget.value)}
            placeholder="openai:gpt-4o-mini"
            hint='"provider:model"; sim:default is the offline simulator.'
            error={errors.model}
          />
        ) : null}
        <TextField
          id={`${ids}-chunk`}
          label="Chunk size"
          type="number"
          min={1}
          max={1000}
          step={1}
          value={chunkSize}
          onChange={(e) => setChunkSize(e.currentTarget.value)}
          hint="Rows per durable step (1–1000): a restart redoes at most one chunk."
          error={errors.chunkSize}
        />
        <SelectField
          id={`${ids}-malformed`}
          label="Malformed rows"
          value={onMalformedRow}
          onChange={(e) => setOnMalformedRow(e.currentTarget.value as "stop" | "skip")}
          options={[
            { value: "stop", label: "Stop: refuse the batch, naming the row" },
            { value: "skip", label: "Skip: leave the row out and report it" },
          ]}
          error={errors.onMalformedRow}
        />
      </div>

      {source === "dataset" ? <EstimatePanel query={estimate} project={project} noun="batch" /> : null}
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" pending={start.isPending}>
          Start batch
        </Button>
        {start.isPending && source === "file" ? (
          <div className="flex items-center gap-2 text-sm text-slate-600" aria-live="polite">
            <label htmlFor={`${ids}-upload`}>{uploaded < 1 ? "Uploading" : "Checking the rows"}</label>
            <progress id={`${ids}-upload`} max={1} value={uploaded} className="h-2 w-40" />
          </div>
        ) : null}
      </div>
    </form>
  );
}
