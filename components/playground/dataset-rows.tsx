"use client";

// "Fill from a dataset row": choose a dataset, then step through the rows of its latest version; each
// step puts the row's inputs into the variables form and shows the row's expected output for comparison.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { apiRequest, errorMessage } from "@/lib/http/client";

export interface DatasetOption {
  name: string;
  /** The latest version's number and row count; null for a dataset without versions. */
  latest: { version: number; rowCount: number; inputColumns: string[] } | null;
}

export interface DatasetRow {
  id: string;
  rowNumber: number;
  input: Record<string, string>;
  expected: string;
}

/** Rows read at once; stepping past them reads no further (a playground compares a few rows by hand). */
const ROWS = 500;

export function DatasetRows({
  project,
  datasets,
  onFill,
}: {
  project: string;
  datasets: DatasetOption[];
  onFill: (row: DatasetRow) => void;
}) {
  const usable = datasets.filter((d) => d.latest && d.latest.rowCount > 0);
  const [dataset, setDataset] = useState(usable[0]?.name ?? "");
  const [index, setIndex] = useState<number | null>(null);
  const chosen = usable.find((d) => d.name === dataset);
  const rows = useQuery({
    queryKey: ["playground-rows", project, dataset, chosen?.latest?.version],
    enabled: chosen !== undefined,
    queryFn: () =>
      apiRequest<{ items: DatasetRow[] }>(
        "GET",
        `/api/v1/projects/${project}/datasets/${encodeURIComponent(dataset)}/versions/${chosen?.latest?.version}/examples?limit=${ROWS}`,
      ),
  });
  if (usable.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No dataset with rows yet.{" "}
        <Link href={`/projects/${project}/datasets`} className="text-indigo-700 hover:underline">
          Upload a dataset
        </Link>{" "}
        to fill the variables from its rows.
      </p>
    );
  const items = rows.data?.items ?? [];
  const go = (next: number) => {
    const row = items[next];
    if (!row) return;
    setIndex(next);
    onFill(row);
  };
  const current = index !== null ? items[index] : undefined;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-48">
          <SelectField
            id="fill-dataset"
            label="Dataset"
            value={dataset}
            onChange={(e) => {
              setDataset(e.target.value);
              setIndex(null);
            }}
            options={usable.map((d) => ({ value: d.name, label: `${d.name} (${d.latest?.rowCount} rows)` }))}
          />
        </div>
        <Button variant="secondary" disabled={items.length === 0} onClick={() => go(0)}>
          First row
        </Button>
        <Button variant="secondary" disabled={!index} onClick={() => go((index ?? 1) - 1)}>
          Previous row
        </Button>
        <Button
          variant="secondary"
          disabled={items.length === 0 || (index ?? -1) + 1 >= items.length}
          onClick={() => go((index ?? -1) + 1)}
        >
          Next row
        </Button>
      </div>
      {rows.isError ? <Alert tone="error">{errorMessage(rows.error)}</Alert> : null}
      <p className="text-sm text-slate-600" aria-live="polite">
        {current
          ? `Row ${index! + 1} of ${items.length} (id ${current.id}) is in the form.`
          : "Choose a row: its inputs fill the form."}
      </p>
      {current ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
          <p className="font-medium text-slate-700">Expected output of this row</p>
          <p className="whitespace-pre-wrap break-words text-slate-800">{current.expected}</p>
        </div>
      ) : null}
    </div>
  );
}
