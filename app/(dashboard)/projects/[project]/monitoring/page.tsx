// Monitoring (admins): what the project's model calls cost and how they behaved over time, by model or
// provider, from the stored calls (served generations, runs, batches); jobs running and queued; the
// latest failures with their reasons.
import type { Metadata } from "next";
import Link from "next/link";
import { FailureList } from "@/components/monitoring/failure-list";
import { JobActivityChart } from "@/components/monitoring/job-activity";
import { MonitoringFilters } from "@/components/monitoring/monitoring-filters";
import { MonitoringSummary } from "@/components/monitoring/monitoring-summary";
import { AccessDenied, EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import {
  isMonitoringRange,
  isSeriesSplit,
  type MonitoringRange,
  projectMonitoring,
  type SeriesSplit,
} from "@/lib/services/monitoring";

export const metadata: Metadata = { title: "Monitoring" };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function MonitoringPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ range?: string | string[]; split?: string | string[] }>;
}) {
  const { project: slug } = await params;
  const query = await searchParams;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/monitoring`);
  const header = (
    <PageHeader
      title="Monitoring"
      description="Spend, calls, errors, latency and cache hits of this project's model calls over time — served prompts, runs and batches — with the jobs in flight and the latest failures."
    />
  );
  if (!hasRole(access.role, "admin"))
    return (
      <>
        {header}
        <AccessDenied required="admin" role={access.role} />
      </>
    );

  const range: MonitoringRange = isMonitoringRange(first(query.range))
    ? (first(query.range) as MonitoringRange)
    : "7d";
  const split: SeriesSplit = isSeriesSplit(first(query.split))
    ? (first(query.split) as SeriesSplit)
    : "model";
  const view = await projectMonitoring(db, access, { range, split });
  const base = `/projects/${access.project.slug}`;

  return (
    <>
      {header}
      <MonitoringFilters action={`${base}/monitoring`} range={range} split={split} />
      <Section title="Model calls" id="model-calls">
        {view.totals.calls === 0 ? (
          <EmptyState title="No model calls in this period">
            Charts fill in as the project calls models:{" "}
            <Link href={`${base}/runs/new`} className="text-indigo-700 hover:underline">
              start an optimization run
            </Link>
            ,{" "}
            <Link href={`${base}/batches`} className="text-indigo-700 hover:underline">
              run a batch
            </Link>{" "}
            or{" "}
            <Link href={`${base}/playground`} className="text-indigo-700 hover:underline">
              try a prompt in the playground
            </Link>
            . A longer period may show older calls.
          </EmptyState>
        ) : (
          <MonitoringSummary view={view} />
        )}
      </Section>
      <Section title="Jobs in flight" id="jobs">
        <JobActivityChart jobs={view.jobs} base={base} />
      </Section>
      <Section title="Recent failures" id="failures">
        {view.failures.length === 0 ? (
          <EmptyState title="No failed runs or batches">
            When a run or a batch fails, it shows up here with the step that failed and why.
          </EmptyState>
        ) : (
          <FailureList failures={view.failures} base={base} />
        )}
      </Section>
    </>
  );
}
