"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ResumeButton } from "@/components/jobs/resume-button";
import { count, usd } from "@/components/runs/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CursorPager, useCursorPages } from "@/components/ui/cursor-pager";
import { Section } from "@/components/ui/page";
import { StatusBadge } from "@/components/ui/status-badge";
import { apiRequest, errorMessage } from "@/lib/http/client";
import type { BatchCounters } from "@/lib/services/batch-events";
import type { BatchRow, BatchStatus } from "@/lib/validation/batches";
import { BatchProgressBar } from "./progress-bar";

const FINISHED: BatchStatus[] = ["succeeded", "failed", "cancelled"];
const PAGE_SIZE = 25;
const VIEWS = [
  { value: "all", label: "All rows" },
  { value: "done", label: "Done" },
  { value: "failed", label: "Failed" },
] as const;
type View = (typeof VIEWS)[number]["value"];

function Counter({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm tabular-nums">{children}</dd>
    </div>
  );
}

/**
 * A batch's live progress (server-sent events: no reload), its counters, the cancel and resume buttons,
 * the rows (filtered, a page at a time, refreshed as rows finish) and the downloads.
 */
export function BatchMonitor({
  project,
  batchId,
  initial,
  canCancel,
}: {
  project: string;
  batchId: string;
  initial: BatchCounters;
  canCancel: boolean;
}) {
  const router = useRouter();
  const base = `/api/v1/projects/${project}/batches/${batchId}`;
  const [counters, setCounters] = useState<BatchCounters>(initial);
  const [connection, setConnection] = useState<"connecting" | "live" | "reconnecting" | "ended">(
    FINISHED.includes(initial.status) ? "ended" : "connecting",
  );
  const finished = FINISHED.includes(counters.status);

  useEffect(() => {
    if (FINISHED.includes(initial.status)) return;
    const source = new EventSource(`${base}/events`);
    source.onopen = () => setConnection("live");
    source.addEventListener("progress", (event) => {
      setCounters(JSON.parse((event as MessageEvent<string>).data) as BatchCounters);
      setConnection("live");
    });
    source.addEventListener("end", (event) => {
      setCounters(JSON.parse((event as MessageEvent<string>).data) as BatchCounters);
      setConnection("ended");
      source.close();
      // The server parts of the page (finished time, error) follow.
      router.refresh();
    });
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) setConnection("reconnecting");
    };
    return () => source.close();
  }, [base, initial.status, router]);

  const cancel = useMutation({
    mutationFn: () => apiRequest<{ id: string; status: BatchStatus }>("POST", `${base}/cancel`),
    onSuccess: () => router.refresh(),
  });

  const pending = counters.totalRows - counters.doneRows;
  return (
    <>
      <Section title="Progress">
        <div className="space-y-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
              <StatusBadge status={counters.status} />
              <span className="tabular-nums" data-testid="batch-rows-done">
                {count(counters.doneRows)} of {count(counters.totalRows)} rows done
              </span>
              {counters.failedRows ? (
                <span className="text-red-700">· {count(counters.failedRows)} failed</span>
              ) : null}
              {counters.skippedRows ? (
                <span className="text-amber-800">· {count(counters.skippedRows)} skipped</span>
              ) : null}
            </p>
            <div className="flex items-center gap-3">
              <span className="text-xs text-slate-500">
                {connection === "live"
                  ? "Live"
                  : connection === "reconnecting"
                    ? "Reconnecting…"
                    : connection === "connecting"
                      ? "Connecting…"
                      : null}
              </span>
              {canCancel && !finished ? (
                <Button variant="danger" pending={cancel.isPending} onClick={() => cancel.mutate()}>
                  Cancel batch
                </Button>
              ) : null}
              {canCancel && (counters.status === "failed" || counters.status === "cancelled") ? (
                <ResumeButton
                  project={project}
                  kind="batch"
                  id={batchId}
                  // Queued again: the refreshed page subscribes to its progress.
                  onResumed={() => {
                    setCounters((known) => ({ ...known, status: "queued" }));
                    setConnection("connecting");
                  }}
                />
              ) : null}
            </div>
          </div>
          <BatchProgressBar
            label="Batch progress"
            done={counters.doneRows}
            failed={counters.failedRows}
            total={counters.totalRows}
          />
          {cancel.isError ? <Alert tone="error">{errorMessage(cancel.error)}</Alert> : null}
          <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-4">
            <Counter label="Still to do">{finished ? "–" : count(Math.max(0, pending))}</Counter>
            <Counter label="Model calls">{count(counters.calls)}</Counter>
            <Counter label="Cache hits">{count(counters.cacheHits)}</Counter>
            <Counter label="Tokens">
              {count(counters.inputTokens)} in · {count(counters.outputTokens)} out
            </Counter>
            <Counter label="Cost">{usd(counters.costUsd)}</Counter>
          </dl>
        </div>
      </Section>
      <Section title="Rows">
        <BatchRows
          base={base}
          totalRows={counters.totalRows}
          // Rows change as they finish: a new count refetches the page shown.
          revision={`${counters.status}:${counters.doneRows}`}
        />
        <p className="mt-4 flex flex-wrap items-center gap-4 text-sm">
          <span className="text-slate-600">Download the results{finished ? "" : " so far"}:</span>
          <a href={`${base}/results?format=jsonl`} className="text-indigo-700 hover:underline" download>
            JSONL
          </a>
          <a href={`${base}/results?format=csv`} className="text-indigo-700 hover:underline" download>
            CSV
          </a>
        </p>
      </Section>
    </>
  );
}

function RowOutput({ row }: { row: BatchRow }) {
  if (row.status === "pending") return <span className="text-slate-400">pending</span>;
  if (row.error !== null)
    return <span className="whitespace-pre-wrap break-words text-red-700">Error: {row.error}</span>;
  return <span className="line-clamp-4 whitespace-pre-wrap break-words">{row.output}</span>;
}

function BatchRows({ base, totalRows, revision }: { base: string; totalRows: number; revision: string }) {
  const [view, setView] = useState<View>("all");
  const pages = useCursorPages();
  const { page, cursor } = pages;
  const query = useQuery({
    queryKey: ["batch-rows", base, view, cursor, revision],
    queryFn: () => {
      const params = new URLSearchParams({ view, limit: String(PAGE_SIZE) });
      if (cursor) params.set("cursor", cursor);
      return apiRequest<{ items: BatchRow[]; nextCursor: string | null }>("GET", `${base}/rows?${params}`);
    },
    placeholderData: keepPreviousData,
  });
  const items = query.data?.items ?? [];
  const first = page * PAGE_SIZE + 1;
  const last = page * PAGE_SIZE + items.length;
  const viewLabel = VIEWS.find((v) => v.value === view)!.label.toLowerCase();

  return (
    <div className="space-y-3">
      <fieldset className="flex flex-wrap gap-2">
        <legend className="sr-only">Rows to show</legend>
        {VIEWS.map((v) => (
          <Button
            key={v.value}
            variant={view === v.value ? "primary" : "secondary"}
            aria-pressed={view === v.value}
            onClick={() => {
              setView(v.value);
              pages.reset();
            }}
          >
            {v.label}
          </Button>
        ))}
      </fieldset>
      {query.isError ? (
        <Alert tone="error" title="The rows could not be loaded">
          {errorMessage(query.error)}
        </Alert>
      ) : null}
      <div
        className="relative overflow-x-auto rounded-md border border-slate-200"
        aria-busy={query.isFetching}
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">
            Batch rows ({viewLabel}), {first} to {last}
          </caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Row
              </th>
              <th scope="col" className="px-3 py-2">
                Key
              </th>
              <th scope="col" className="px-3 py-2">
                Input
              </th>
              <th scope="col" className="px-3 py-2">
                Output
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Tokens
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Latency
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {query.isPending ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-slate-500">
                  Loading rows…
                </td>
              </tr>
            ) : items.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-slate-500">
                  {view === "all" ? "No rows." : `No ${viewLabel} rows.`}
                </td>
              </tr>
            ) : (
              items.map((row) => (
                <tr key={row.rowNumber} data-status={row.status}>
                  <td className="px-3 py-1.5 font-mono text-xs text-slate-500">{row.rowNumber}</td>
                  <td className="max-w-[8rem] break-words px-3 py-1.5 font-mono text-xs">{row.key}</td>
                  <td className="max-w-xs px-3 py-1.5">
                    {Object.entries(row.input).map(([name, value]) => (
                      <p key={name} className="line-clamp-3 break-words">
                        <span className="font-mono text-xs text-slate-500">{name}: </span>
                        {value}
                      </p>
                    ))}
                  </td>
                  <td className="max-w-sm px-3 py-1.5">
                    <RowOutput row={row} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-1.5 text-right tabular-nums text-slate-600">
                    {row.status === "pending" ? "–" : `${row.inputTokens} / ${row.outputTokens}`}
                  </td>
                  <td className="whitespace-nowrap px-3 py-1.5 text-right tabular-nums text-slate-600">
                    {row.status === "pending" ? "–" : row.cached ? "cached" : `${row.latencyMs} ms`}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <CursorPager
        label="Row pages"
        pages={pages}
        nextCursor={query.isPlaceholderData ? null : query.data?.nextCursor}
        summary={
          <>
            {items.length === 0
              ? `No ${view === "all" ? "" : `${viewLabel} `}rows`
              : `Rows ${first}–${last}${view === "all" ? ` of ${count(totalRows)}` : ""}`}
            {query.isFetching && !query.isPending ? " (loading…)" : ""}
          </>
        }
      />
    </div>
  );
}
