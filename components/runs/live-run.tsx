"use client";

// The live part of the run page: subscribes to the run's server-sent events (same origin, session
// cookie) while it is queued or running and updates without reloading: progress bars, the current step
// of the 5, cost and tokens so far, ETA, and the score chart. When the run ends (or an iteration
// finishes) the server-rendered sections are refreshed so the report, diff and winner appear.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Section } from "@/components/ui/page";
import { StatusBadge } from "@/components/ui/status-badge";
import type { Progress } from "@/lib/core/ports";
import type { RunKind, RunStatus } from "@/lib/validation/runs";
import { CancelRunButton } from "./cancel-run-button";
import { count, durationText, usd } from "./format";
import {
  type EndEventData,
  endedEarlyText,
  ITERATION_STEPS,
  isActive,
  type LiveIteration,
  mergeIterations,
  overallEtaMs,
  overallFraction,
  type ProgressEventData,
} from "./live-state";
import { RunSteps } from "./run-steps";
import { ScoreChart } from "./score-chart";

export interface LiveRunProps {
  project: string;
  runId: string;
  kind: RunKind;
  status: RunStatus;
  progress: Progress | null;
  totals: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  iterations: LiveIteration[];
  maxIterations: number;
  /** K, when the run's config records it. */
  candidatesPerIteration: number | null;
  /** The runner this server hands runs to. */
  runner: string;
  canEdit: boolean;
}

type Connection = "idle" | "connecting" | "live" | "reconnecting" | "closed";

const CONNECTION_TEXT: Record<Connection, string> = {
  idle: "",
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  closed: "updates stopped; reload the page",
};

function stepLabel(step: string | undefined): string {
  if (!step || step === "starting") return "Starting";
  const known = ITERATION_STEPS.find((s) => s.step === step);
  if (known) return known.label;
  return step.charAt(0).toUpperCase() + step.slice(1);
}

function Bar({ label, value, max, text }: { label: string; value: number; max: number; text: string }) {
  const width = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <span id={`${label.replace(/\W+/g, "-").toLowerCase()}-label`} className="font-medium text-slate-800">
          {label}
        </span>
        <span className="tabular-nums text-slate-600">{text}</span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={`${label.replace(/\W+/g, "-").toLowerCase()}-label`}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={text}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className="h-full rounded-full bg-indigo-600 transition-[width] duration-300"
          style={{ width: `${width}%` }}
        />
      </div>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm tabular-nums">{children}</dd>
    </div>
  );
}

export function LiveRun(props: LiveRunProps) {
  const { project, runId, kind, maxIterations, canEdit } = props;
  const router = useRouter();
  const [status, setStatus] = useState<RunStatus>(props.status);
  const [progress, setProgress] = useState<Progress | null>(props.progress);
  const [totals, setTotals] = useState(props.totals);
  const [iterations, setIterations] = useState<LiveIteration[]>(props.iterations);
  const [end, setEnd] = useState<EndEventData | null>(null);
  const [connection, setConnection] = useState<Connection>("idle");
  const [watched, setWatched] = useState(() => isActive(props.status));
  const highest = useRef(0);

  // Server data after a refresh: newer iterations, a final status.
  useEffect(() => {
    setIterations((known) => mergeIterations(known, props.iterations));
    if (!isActive(props.status)) setStatus(props.status);
  }, [props.iterations, props.status]);

  // A failed or cancelled run that was resumed (queued again after a refresh): follow it live from now on.
  useEffect(() => {
    if (!isActive(props.status) || watched) return;
    setStatus(props.status);
    setEnd(null);
    setWatched(true);
  }, [props.status, watched]);

  useEffect(() => {
    if (!watched) return;
    const source = new EventSource(`/api/v1/projects/${project}/runs/${runId}/events`);
    setConnection("connecting");
    let lastStatus: RunStatus | null = null;
    source.onopen = () => setConnection("live");
    source.onerror = () =>
      setConnection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    source.addEventListener("progress", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as ProgressEventData;
      setConnection("live");
      setStatus(data.status);
      if (data.progress) setProgress(data.progress);
      setTotals({
        calls: data.calls,
        inputTokens: data.inputTokens,
        outputTokens: data.outputTokens,
        costUsd: data.costUsd,
      });
      if (lastStatus !== null && lastStatus !== data.status) router.refresh();
      lastStatus = data.status;
    });
    source.addEventListener("iteration", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as LiveIteration;
      setIterations((known) => mergeIterations(known, [data]));
      router.refresh();
    });
    source.addEventListener("end", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as EndEventData;
      source.close();
      setConnection("idle");
      setEnd(data);
      setStatus(data.status);
      router.refresh();
    });
    return () => source.close();
  }, [watched, project, runId, router]);

  const active = isActive(status);
  const computed = overallFraction(kind, status, progress, maxIterations);
  // An estimate that never runs backwards (a new candidate's inference restarts its step's count).
  if (active) highest.current = Math.max(highest.current, computed);
  const overall = active ? highest.current : computed;
  const overallPct = Math.round(overall * 100);
  const eta = active && progress ? overallEtaMs(overall, progress.elapsedMs) : null;
  const stepEta = active ? (progress?.etaMs ?? null) : null;
  // A run that ended early keeps its progress on the page: how far it got and what it spent.
  const endedEarly = status === "cancelled" || status === "failed";

  return (
    <>
      {watched || endedEarly ? (
        <Section title="Progress" id="run-progress">
          <div className="space-y-5" data-testid="live-run" data-status={status}>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
                <StatusBadge status={status} />
                <span className="text-slate-600">
                  Runner: <strong className="font-medium">{props.runner}</strong>
                </span>
                {connection !== "idle" ? (
                  <span className="text-xs text-slate-500" data-connection={connection}>
                    <span aria-hidden="true">{connection === "live" ? "● " : ""}</span>
                    {CONNECTION_TEXT[connection]}
                  </span>
                ) : null}
              </p>
              {canEdit && active ? (
                <CancelRunButton project={project} runId={runId} onCancelled={() => setStatus("cancelled")} />
              ) : null}
            </div>
            {endedEarly ? (
              <p className="text-sm text-slate-700" data-testid="run-ended-early">
                {endedEarlyText(status, progress, iterations.length)}
                {end?.error ? ` ${end.error}` : ""}
              </p>
            ) : null}
            <Bar
              label="Overall progress"
              value={overallPct}
              max={100}
              text={
                status === "succeeded"
                  ? "100%"
                  : `about ${overallPct}%${kind === "optimize" ? ` (of at most ${maxIterations} iterations and the final test)` : ""}`
              }
            />
            {active ? (
              <Bar
                label={`Current step: ${stepLabel(progress?.step)}${kind === "optimize" && progress && progress.iteration > 0 ? `, iteration ${progress.iteration}` : ""}`}
                value={progress?.done ?? 0}
                max={progress?.total ?? 0}
                text={
                  progress && progress.total > 0
                    ? `${count(progress.done)} / ${count(progress.total)}${progress.step === "optimizer" ? " proposals" : " examples"}`
                    : "waiting"
                }
              />
            ) : null}
            {kind === "optimize" ? <RunSteps step={progress?.step} status={status} /> : null}
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 xl:grid-cols-6">
              <Stat label="Model calls">
                {count(totals.calls)}
                {progress?.failedCalls ? ` (${count(progress.failedCalls)} failed)` : ""}
              </Stat>
              <Stat label="Tokens">
                {count(totals.inputTokens)} in · {count(totals.outputTokens)} out
              </Stat>
              <Stat label="Cost">{usd(totals.costUsd)}</Stat>
              <Stat label="Elapsed">{progress ? durationText(progress.elapsedMs) : "–"}</Stat>
              <Stat label="Step ETA">{stepEta !== null ? durationText(stepEta) : "–"}</Stat>
              <Stat label="Run ETA (estimate)">{eta !== null ? durationText(eta) : "–"}</Stat>
            </dl>
          </div>
        </Section>
      ) : null}
      {kind === "optimize" ? (
        <Section title="Scores per iteration" id="run-chart">
          <ScoreChart iterations={iterations} />
          {props.candidatesPerIteration !== null ? (
            <p className="mt-2 text-xs text-slate-500">
              {props.candidatesPerIteration} candidate{props.candidatesPerIteration === 1 ? "" : "s"} proposed
              per iteration; only those that beat the incumbent on the training examples are scored on
              validation.
            </p>
          ) : null}
        </Section>
      ) : null}
    </>
  );
}
