"use client";

// "Add to a dataset": the variables in the form become a new row's inputs and a corrected output (started
// from a column's answer, editable) its expected output. The dataset's row edit creates its next
// version; the one before stays as it was.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { apiRequest, errorMessage } from "@/lib/http/client";
import type { DatasetOption } from "./dataset-rows";

const TEXTAREA =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

export function AddToDataset({
  project,
  datasets,
  inputs,
  answers,
}: {
  project: string;
  datasets: DatasetOption[];
  /** The form's variables as text (empty ones left out). */
  inputs: Record<string, string>;
  /** Each column's latest answer ("" when it has none), by the column's key. */
  answers: { key: string; text: string }[];
}) {
  const router = useRouter();
  const usable = datasets.filter((d) => d.latest);
  const [dataset, setDataset] = useState(usable[0]?.name ?? "");
  const [expected, setExpected] = useState("");
  // The version each dataset is at, as far as this page knows (an edit must start from the latest).
  const [latest, setLatest] = useState<Record<string, number>>(() =>
    Object.fromEntries(usable.map((d) => [d.name, d.latest!.version])),
  );
  const add = useMutation({
    mutationFn: () =>
      apiRequest<{ version: { version: number } }>(
        "PATCH",
        `/api/v1/projects/${project}/datasets/${encodeURIComponent(dataset)}/examples`,
        {
          baseVersion: latest[dataset],
          upsert: [{ id: `playground-${Date.now().toString(36)}`, input: inputs, expected }],
          note: "row added from the playground",
        },
      ),
    onSuccess: (result) => {
      setLatest((known) => ({ ...known, [dataset]: result.version.version }));
      router.refresh();
    },
  });
  if (usable.length === 0)
    return (
      <p className="text-sm text-slate-600">
        <Link href={`/projects/${project}/datasets`} className="text-indigo-700 hover:underline">
          Create a dataset
        </Link>{" "}
        first; then rows can be added to it from here.
      </p>
    );
  return (
    <form
      className="space-y-3"
      aria-label="Add to a dataset"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <div className="grid gap-3 md:grid-cols-2">
        <SelectField
          id="add-dataset"
          label="Dataset"
          value={dataset}
          onChange={(e) => setDataset(e.target.value)}
          options={usable.map((d) => ({ value: d.name, label: d.name }))}
        />
        <div className="flex flex-wrap items-end gap-2">
          {answers.map((answer, i) =>
            answer.text ? (
              <Button key={answer.key} variant="secondary" onClick={() => setExpected(answer.text)}>
                Start from column {i + 1}
              </Button>
            ) : null,
          )}
        </div>
      </div>
      <div className="space-y-1">
        <label htmlFor="add-expected" className="block text-sm font-medium text-slate-800">
          Corrected output
        </label>
        <textarea
          id="add-expected"
          rows={4}
          required
          className={TEXTAREA}
          value={expected}
          onChange={(e) => setExpected(e.target.value)}
        />
        <p className="text-xs text-slate-500">
          The row&apos;s inputs are the variables above:{" "}
          {Object.keys(inputs).join(", ") || "none filled in yet"}.
        </p>
      </div>
      {add.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(add.error)}
        </p>
      ) : null}
      {add.isSuccess ? (
        <p role="status" className="text-sm text-emerald-800">
          Added to {dataset}: it is now at{" "}
          <Link className="underline" href={`/projects/${project}/datasets/${encodeURIComponent(dataset)}`}>
            version {add.data.version.version}
          </Link>
          .
        </p>
      ) : null}
      <Button
        type="submit"
        pending={add.isPending}
        disabled={!expected.trim() || Object.keys(inputs).length === 0}
      >
        Add row
      </Button>
    </form>
  );
}
