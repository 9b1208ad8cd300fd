"use client";

// The playground: a task's versions (or drafts edited from them) side by side, each on a model, run on
// the same variables — typed by hand or filled from dataset rows — with the answers streaming in.
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { Section } from "@/components/ui/page";
import { ApiError, errorMessage } from "@/lib/http/client";
import type { PlaygroundRecord } from "@/lib/validation/playground";
import { AddToDataset } from "./add-to-dataset";
import { ColumnCard, type ModelOption } from "./column-card";
import { type DatasetOption, DatasetRows } from "./dataset-rows";
import {
  type ColumnOutput,
  type ColumnState,
  columnSchema,
  formVariables,
  IDLE,
  MAX_COLUMNS,
  newColumn,
  runBody,
  type VersionOption,
} from "./playground-model";
import { streamPlayground } from "./run-stream";
import { SaveDraft } from "./save-draft";
import { VariablesForm } from "./variables-form";

function applyRecord(output: ColumnOutput, record: PlaygroundRecord): ColumnOutput {
  switch (record.type) {
    case "start":
      return { status: "running", text: "", model: record.model };
    case "delta":
      return { ...output, text: output.text + record.text };
    case "result": {
      const { usage, latencyMs, costUsd, cached, text } = record;
      return { ...output, status: "done", text, usage, latencyMs, costUsd, cached };
    }
    case "error":
      return { ...output, status: "failed", error: record.message };
  }
}

export function Playground({
  project,
  tasks,
  task,
  versions,
  initialVersion,
  models,
  datasets,
}: {
  project: string;
  tasks: string[];
  task: string;
  versions: VersionOption[];
  initialVersion: number;
  models: ModelOption[];
  datasets: DatasetOption[];
}) {
  const router = useRouter();
  const [columns, setColumns] = useState<ColumnState[]>(() => [newColumn(initialVersion)]);
  const [outputs, setOutputs] = useState<Record<string, ColumnOutput>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const fields = useMemo(
    () => formVariables(columns.map((column) => columnSchema(column, versions))),
    [columns, versions],
  );
  const fieldErrors =
    runError instanceof ApiError
      ? Object.fromEntries(
          Object.entries(runError.fieldErrors)
            .filter(([path]) => path.startsWith("variables."))
            .map(([path, message]) => [path.slice("variables.".length), message]),
        )
      : {};
  const filledInputs = Object.fromEntries(
    fields.flatMap((f) => (values[f.name] ? [[f.name, values[f.name]!]] : [])),
  );

  const update = (key: string, next: ColumnState) =>
    setColumns((all) => all.map((column) => (column.key === key ? next : column)));

  async function runAll() {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRunError(null);
    setRunning(true);
    const keys = columns.map((column) => column.key);
    setOutputs(Object.fromEntries(keys.map((key) => [key, { status: "running", text: "" }])));
    try {
      await streamPlayground(
        project,
        runBody(task, columns, fields, values),
        (record) => {
          const key = keys[record.column];
          if (key) setOutputs((all) => ({ ...all, [key]: applyRecord(all[key] ?? IDLE, record) }));
        },
        controller.signal,
      );
    } catch (error) {
      if (!controller.signal.aborted) {
        setRunError(error);
        setOutputs({});
      }
    } finally {
      if (abort.current === controller) setRunning(false);
    }
  }

  return (
    <>
      <Section title="Prompts to compare" id="playground-columns">
        <div className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-56">
            <SelectField
              id="playground-task"
              label="Task"
              value={task}
              onChange={(e) =>
                router.push(`/projects/${project}/playground?task=${encodeURIComponent(e.target.value)}`)
              }
              options={tasks.map((name) => ({ value: name, label: name }))}
            />
          </div>
          <Button
            variant="secondary"
            disabled={columns.length >= MAX_COLUMNS}
            onClick={() => setColumns((all) => [...all, newColumn(versions[0]?.version ?? initialVersion)])}
          >
            Add column
          </Button>
          <p className="text-xs text-slate-500">Up to {MAX_COLUMNS} columns: each is a call to its model.</p>
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          {columns.map((column, i) => (
            <ColumnCard
              key={column.key}
              position={i + 1}
              column={column}
              output={outputs[column.key] ?? IDLE}
              versions={versions}
              models={models}
              canRemove={columns.length > 1}
              onChange={(next) => update(column.key, next)}
              onRemove={() => setColumns((all) => all.filter((c) => c.key !== column.key))}
            >
              <SaveDraft
                project={project}
                task={task}
                column={column}
                position={i + 1}
                onSaved={(version) => update(column.key, { ...column, version, draft: null })}
              />
            </ColumnCard>
          ))}
        </div>
      </Section>
      <Section title="Variables" id="playground-variables">
        <div className="space-y-5">
          <DatasetRows
            project={project}
            datasets={datasets}
            onFill={(row) => setValues((known) => ({ ...known, ...row.input }))}
          />
          <VariablesForm
            fields={fields}
            values={values}
            errors={fieldErrors}
            onChange={(name, value) => setValues((known) => ({ ...known, [name]: value }))}
          />
          {runError && Object.keys(fieldErrors).length === 0 ? (
            <Alert tone="error" title="The prompts could not be run">
              {errorMessage(runError)}
            </Alert>
          ) : null}
          <Button pending={running} onClick={runAll}>
            Run all
          </Button>
        </div>
      </Section>
      <Section title="Add to a dataset" id="playground-add">
        <AddToDataset
          project={project}
          datasets={datasets}
          inputs={filledInputs}
          answers={columns.map((column) => ({ key: column.key, text: outputs[column.key]?.text ?? "" }))}
        />
      </Section>
    </>
  );
}
