"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CursorPager, useCursorPages } from "@/components/ui/cursor-pager";
import { apiRequest, errorMessage } from "@/lib/http/client";
import { DeleteRowButton, type RowEditTarget, RowForm } from "./row-editor";

interface ExampleRow {
  id: string;
  rowNumber: number;
  input: Record<string, string>;
  expected: string;
  extra: Record<string, string> | null;
}

interface Page {
  items: ExampleRow[];
  nextCursor: string | null;
}

const PAGE_SIZE = 25;

function Cell({ value }: { value: string | undefined }) {
  if (value === undefined) return <span className="text-slate-400">—</span>;
  return <span className="line-clamp-3 whitespace-pre-wrap break-words">{value}</span>;
}

/**
 * A version's rows, a page at a time (cursor pagination; earlier pages are remembered for "Previous").
 * With `editing` (editors, on the latest version) each row can be edited or deleted and rows added.
 */
export function DatasetPreview({
  project,
  dataset,
  version,
  rowCount,
  inputColumns,
  expectedColumn,
  extraColumns,
  editing,
}: {
  project: string;
  dataset: string;
  version: number;
  rowCount: number;
  inputColumns: string[];
  expectedColumn: string;
  extraColumns: string[];
  editing?: RowEditTarget;
}) {
  const pages = useCursorPages();
  const [editingRow, setEditingRow] = useState<string | null>(null);
  const columnCount = 3 + inputColumns.length + extraColumns.length + (editing ? 1 : 0);
  const { page, cursor } = pages;
  const query = useQuery({
    queryKey: ["dataset-examples", project, dataset, version, cursor],
    queryFn: () => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) params.set("cursor", cursor);
      return apiRequest<Page>(
        "GET",
        `/api/v1/projects/${project}/datasets/${dataset}/versions/${version}/examples?${params}`,
      );
    },
    placeholderData: keepPreviousData,
  });
  const first = page * PAGE_SIZE + 1;
  const last = Math.min(rowCount, page * PAGE_SIZE + (query.data?.items.length ?? 0));

  return (
    <div className="space-y-3">
      {query.isError ? (
        <Alert tone="error" title="The rows could not be loaded">
          {errorMessage(query.error)}{" "}
          <Button variant="ghost" onClick={() => query.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : null}
      <div
        className="relative overflow-x-auto rounded-md border border-slate-200"
        aria-busy={query.isFetching}
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">
            Rows {first} to {last} of {rowCount} of version {version}
          </caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Row
              </th>
              <th scope="col" className="px-3 py-2">
                Id
              </th>
              {inputColumns.map((c) => (
                <th key={`in-${c}`} scope="col" className="px-3 py-2 font-mono">
                  {c}
                </th>
              ))}
              <th scope="col" className="px-3 py-2 font-mono">
                {expectedColumn} <span className="font-sans text-slate-600">(expected)</span>
              </th>
              {extraColumns.map((c) => (
                <th key={`ex-${c}`} scope="col" className="px-3 py-2 font-mono text-slate-400">
                  {c}
                </th>
              ))}
              {editing ? (
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Row actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {query.isPending ? (
              <tr>
                <td colSpan={columnCount} className="px-3 py-6 text-slate-500">
                  Loading rows…
                </td>
              </tr>
            ) : (
              (query.data?.items ?? []).map((row) => (
                <Fragment key={row.rowNumber}>
                  <tr>
                    <td className="px-3 py-1.5 font-mono text-xs text-slate-500">{row.rowNumber}</td>
                    <td className="px-3 py-1.5 font-mono text-xs">{row.id}</td>
                    {inputColumns.map((c) => (
                      <td key={`in-${c}`} className="max-w-xs px-3 py-1.5">
                        <Cell value={row.input[c]} />
                      </td>
                    ))}
                    <td className="max-w-xs px-3 py-1.5 font-medium">
                      <Cell value={row.expected} />
                    </td>
                    {extraColumns.map((c) => (
                      <td key={`ex-${c}`} className="max-w-xs px-3 py-1.5 text-slate-500">
                        <Cell value={row.extra?.[c]} />
                      </td>
                    ))}
                    {editing ? (
                      <td className="whitespace-nowrap px-3 py-1 text-right">
                        <Button
                          variant="ghost"
                          onClick={() => setEditingRow(editingRow === row.id ? null : row.id)}
                          aria-expanded={editingRow === row.id}
                          aria-label={`Edit row ${row.id}`}
                        >
                          Edit
                        </Button>
                        <DeleteRowButton target={editing} rowId={row.id} />
                      </td>
                    ) : null}
                  </tr>
                  {editing && editingRow === row.id ? (
                    <tr>
                      <td colSpan={columnCount} className="bg-slate-50 px-3 py-3">
                        <RowForm target={editing} row={row} onCancel={() => setEditingRow(null)} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))
            )}
          </tbody>
        </table>
      </div>
      <CursorPager
        label="Rows"
        pages={pages}
        nextCursor={query.isPlaceholderData ? null : query.data?.nextCursor}
        summary={
          <>
            {rowCount === 0 ? "No rows" : `Rows ${first}–${last} of ${rowCount}`}
            {query.isFetching && !query.isPending ? " (loading…)" : ""}
          </>
        }
      />
      {editing ? (
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm font-medium text-indigo-700">Add a row</summary>
          <div className="mt-3">
            <RowForm target={editing} />
          </div>
        </details>
      ) : null}
    </div>
  );
}
