"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CursorPager, useCursorPages } from "@/components/ui/cursor-pager";
import { apiRequest, errorMessage } from "@/lib/http/client";

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

/** A version's rows, a page at a time (cursor pagination; earlier pages are remembered for "Previous"). */
export function DatasetPreview({
  project,
  dataset,
  version,
  rowCount,
  inputColumns,
  expectedColumn,
  extraColumns,
}: {
  project: string;
  dataset: string;
  version: number;
  rowCount: number;
  inputColumns: string[];
  expectedColumn: string;
  extraColumns: string[];
}) {
  const pages = useCursorPages();
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
                {expectedColumn} <span className="font-sans text-slate-400">(expected)</span>
              </th>
              {extraColumns.map((c) => (
                <th key={`ex-${c}`} scope="col" className="px-3 py-2 font-mono text-slate-400">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {query.isPending ? (
              <tr>
                <td
                  colSpan={3 + inputColumns.length + extraColumns.length}
                  className="px-3 py-6 text-slate-500"
                >
                  Loading rows…
                </td>
              </tr>
            ) : (
              (query.data?.items ?? []).map((row) => (
                <tr key={row.rowNumber}>
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
                </tr>
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
    </div>
  );
}
