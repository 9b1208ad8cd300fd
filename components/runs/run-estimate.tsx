"use client";

// Cost before you spend: what a run (or a batch) of the form's current settings may cost, fetched from
// the estimate route as the form changes (debounced), and the confirmation a run on a paid model above
// the project's threshold asks for before it starts.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";
import type { RunEstimateView } from "@/lib/validation/runs";
import { count, usd } from "./format";

/** The latest value of `value`, once it has stopped changing for `ms`. */
export function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The estimate of `body` (a run or batch spec) from `url`; nothing is fetched while `body` is null. */
export function useEstimate(url: string, body: unknown | null) {
  const key = body === null ? null : JSON.stringify(body);
  const settledKey = useSettled(key);
  return useQuery({
    queryKey: ["estimate", url, settledKey],
    queryFn: () => apiRequest<RunEstimateView>("POST", url, JSON.parse(settledKey as string)),
    enabled: settledKey !== null,
    retry: false,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

const costText = (cost: number | null) => (cost === null ? "unknown cost (no price for a model)" : usd(cost));

function spendText(spend: RunEstimateView["upper"]): string {
  const tokens = spend.inputTokens + spend.outputTokens;
  return `${count(spend.calls)} model calls · ${count(tokens)} tokens · ${costText(spend.costUsd)}`;
}

/** The estimate as the form shows it, updating politely for screen readers. */
export function EstimatePanel({
  query,
  project,
  noun = "run",
}: {
  query: ReturnType<typeof useEstimate>;
  project: string;
  noun?: "run" | "batch";
}) {
  const estimate = query.data;
  return (
    <section
      aria-labelledby="estimate-heading"
      className="rounded-md border border-slate-200 bg-slate-50 p-4 text-sm"
      data-testid="cost-estimate"
    >
      <h3 id="estimate-heading" className="font-semibold text-slate-800">
        Cost before you start
      </h3>
      <div aria-live="polite" className="mt-2 space-y-1 text-slate-700">
        {query.isError && !estimate ? (
          <p>No estimate yet: {errorMessage(query.error)}</p>
        ) : !estimate ? (
          <p>Estimating…</p>
        ) : (
          <>
            {noun === "batch" ? (
              <p>
                <span className="font-medium">About:</span> {spendText(estimate.upper)}
              </p>
            ) : (
              <>
                <p>
                  <span className="font-medium">At most:</span> {spendText(estimate.upper)}
                </p>
                <p>
                  <span className="font-medium">Likely:</span> {spendText(estimate.expected)}
                </p>
              </>
            )}
            <p className="text-xs text-slate-500">
              {estimate.iterations
                ? `Up to ${estimate.iterations.upper} iteration${estimate.iterations.upper === 1 ? "" : "s"} (likely ${estimate.iterations.expected}) on ${count(estimate.examples)} examples`
                : `${count(estimate.examples)} ${noun === "batch" ? "rows" : "examples"}`}
              {estimate.splits
                ? ` (${estimate.splits.train} train · ${estimate.splits.validation} validation · ${estimate.splits.test} test)`
                : ""}
              {estimate.cappedBy.length ? `; capped by your ${estimate.cappedBy.join(" and ")} budget` : ""}.
              Tokens are counted at 4 characters each; cached answers cost less.
              {estimate.paid ? "" : " These models cost nothing."}
            </p>
            {estimate.needsConfirmation && noun === "run" ? (
              <p className="text-amber-800">
                {`Above this project's confirmation limit of ${usd(estimate.confirmAboveUsd)}: you will be asked to confirm. `}
                <Link href={`/projects/${project}/settings#cost-confirmation`} className="underline">
                  Change the limit
                </Link>
              </p>
            ) : null}
            {query.isError ? <p className="text-amber-800">{errorMessage(query.error)}</p> : null}
          </>
        )}
      </div>
    </section>
  );
}

/** Asked before a paid run above the threshold starts. */
export function CostConfirmation({
  estimate,
  pending,
  onConfirm,
  onCancel,
}: {
  estimate: RunEstimateView;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div data-testid="cost-confirmation">
      <Alert tone="warning" title="Confirm the cost">
        <p>
          {`This run may cost up to ${costText(estimate.upper.costUsd)} (likely ${costText(estimate.expected.costUsd)}), above this project's limit of ${usd(estimate.confirmAboveUsd)} for starting without confirmation.`}
        </p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Button type="button" onClick={onConfirm} pending={pending}>
            Start anyway
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Change settings
          </Button>
        </div>
      </Alert>
    </div>
  );
}
