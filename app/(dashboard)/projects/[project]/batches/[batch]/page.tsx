import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BatchMonitor } from "@/components/batches/batch-monitor";
import { count, durationText, latencyText } from "@/components/runs/format";
import { Alert } from "@/components/ui/alert";
import { BackLink } from "@/components/ui/back-link";
import { PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { batchCounters } from "@/lib/services/batch-events";
import { type BatchDetail, getBatch } from "@/lib/services/batches";

export const metadata: Metadata = { title: "Batch" };

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm">{children}</dd>
    </div>
  );
}

export default async function BatchPage({ params }: { params: Promise<{ project: string; batch: string }> }) {
  const { project: slug, batch: batchId } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/batches/${batchId}`);
  let batch: BatchDetail;
  try {
    batch = await getBatch(db, access, batchId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const task = encodeURIComponent(batch.taskName);
  const took =
    batch.startedAt && batch.finishedAt ? batch.finishedAt.getTime() - batch.startedAt.getTime() : null;
  return (
    <>
      <BackLink href={`/projects/${slug}/batches`}>Batches</BackLink>
      <PageHeader
        title={`Batch of ${batch.taskName}`}
        description={
          <>
            Prompt version {batch.promptVersion} over {count(batch.totalRows)} rows of{" "}
            <span className="font-mono">{batch.sourceName}</span> with{" "}
            <span className="font-mono">{batch.modelId}</span>. <code className="text-xs">{batch.id}</code>
          </>
        }
      />
      {batch.status === "failed" && batch.error ? (
        <div className="mb-6">
          <Alert tone="error" title="The batch failed">
            {batch.error}
          </Alert>
        </div>
      ) : null}
      <BatchMonitor
        // A new server render after the end keeps the counters the stream delivered.
        key={batch.id}
        project={slug}
        batchId={batch.id}
        initial={batchCounters(batch)}
        canCancel={hasRole(access.role, "editor")}
      />
      {batch.issueCount > 0 ? (
        <Section title="Skipped rows">
          <p className="mb-3 text-sm text-slate-600">
            {count(batch.issueCount)} malformed row{batch.issueCount === 1 ? " was" : "s were"} left out
            (policy: skip)
            {batch.issueCount > batch.issues.length ? `; the first ${batch.issues.length}:` : "."}
          </p>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Skipped rows of the batch</caption>
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="w-24 py-2 pr-4">
                  Row
                </th>
                <th scope="col" className="py-2">
                  Problem
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {batch.issues.map((issue) => (
                <tr key={`${issue.row}:${issue.message}`}>
                  <td className="py-2 pr-4 font-mono text-xs">{issue.row ?? "file"}</td>
                  <td className="py-2 break-words">{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      <Section title="Details">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3 xl:grid-cols-4">
          <Fact label="Task">
            <Link href={`/projects/${slug}/prompts/${task}`} className="text-indigo-700 hover:underline">
              {batch.taskName}
            </Link>
          </Fact>
          <Fact label="Prompt">
            <Link
              href={`/projects/${slug}/prompts/${task}?version=${batch.promptVersion}`}
              className="text-indigo-700 hover:underline"
            >
              version {batch.promptVersion}
            </Link>
          </Fact>
          <Fact label="Rows from">
            {batch.source === "file" ? "uploaded file " : null}
            <span className="font-mono text-xs">{batch.sourceName}</span>
          </Fact>
          <Fact label="Input columns">
            <span className="font-mono text-xs">{batch.columns.join(", ") || "–"}</span>
          </Fact>
          <Fact label="Model">
            <span className="font-mono text-xs">{batch.modelId}</span>
          </Fact>
          <Fact label="Chunk size">{count(batch.chunkSize)} rows</Fact>
          <Fact label="Malformed rows">{batch.onMalformedRow === "skip" ? "skip and report" : "stop"}</Fact>
          <Fact label="Created">
            <Time value={batch.createdAt} />
            {batch.createdBy ? (
              <span className="block text-xs text-slate-500">by {batch.createdBy}</span>
            ) : null}
          </Fact>
          <Fact label="Started">
            <Time value={batch.startedAt} />
          </Fact>
          <Fact label="Finished">
            <Time value={batch.finishedAt} />
          </Fact>
          <Fact label="Took">{took === null ? "–" : durationText(took)}</Fact>
          <Fact label="Retried requests">{count(batch.retries)}</Fact>
          <Fact label="Latency">{latencyText(batch.latency)}</Fact>
        </dl>
      </Section>
    </>
  );
}
