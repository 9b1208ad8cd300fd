import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CompareSummary } from "@/components/prompts/compare-summary";
import { FieldDiffTable } from "@/components/prompts/side-by-side-diff";
import { SourceBadge } from "@/components/prompts/source-badge";
import { VersionPicker } from "@/components/prompts/version-picker";
import { Alert } from "@/components/ui/alert";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { compareTaskVersions } from "@/lib/services/prompts/compare";
import { listTaskVersionNumbers } from "@/lib/services/prompts/reads";
import type { PromptVersion } from "@/lib/validation/prompts";

export const metadata: Metadata = { title: "Compare prompt versions" };

const positiveInt = (value: string | string[] | undefined): number | null => {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
};

function VersionCard({ project, task, version }: { project: string; task: string; version: PromptVersion }) {
  return (
    <div className="min-w-0 rounded-md border border-slate-200 p-3 text-sm">
      <p className="flex items-center gap-2 font-medium">
        <Link
          href={`/projects/${project}/prompts/${encodeURIComponent(task)}?version=${version.version}`}
          className="text-indigo-700 hover:underline"
        >
          Version {version.version}
        </Link>
        <SourceBadge source={version.source} />
      </p>
      <p className="mt-1 text-xs text-slate-500">
        <Time value={version.createdAt} />
        {version.runId ? (
          <>
            {" · "}
            <Link href={`/projects/${project}/runs/${version.runId}`} className="text-indigo-700 underline">
              from run {version.runId.slice(0, 10)}
            </Link>
          </>
        ) : null}
      </p>
      {version.message ? <p className="mt-1 truncate text-xs text-slate-600">{version.message}</p> : null}
    </div>
  );
}

export default async function PromptDiffPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; task: string }>;
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
}) {
  const { project: slug, task: name } = await params;
  const query = await searchParams;
  const base = `/projects/${slug}/prompts/${encodeURIComponent(name)}`;
  const { db, access } = await requireProjectPage(slug, `${base}/diff`);
  let numbers: number[];
  try {
    numbers = await listTaskVersionNumbers(db, access, name);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const back = <BackLink href={base}>{name}</BackLink>;
  if (numbers.length === 0)
    return (
      <>
        {back}
        <PageHeader title={`Compare versions of ${name}`} />
        <EmptyState title="This task has no prompt version yet" />
      </>
    );
  const to = positiveInt(query.to) ?? numbers[0]!;
  const from = positiveInt(query.from) ?? numbers.find((n) => n < to) ?? to;
  const picker = <VersionPicker action={`${base}/diff`} versions={numbers} from={from} to={to} />;
  const missing = [from, to].filter((n) => !numbers.includes(n));
  if (missing.length)
    return (
      <>
        {back}
        <PageHeader title={`Compare versions of ${name}`} />
        <Section title="Pick two versions">{picker}</Section>
        <Alert tone="error">
          {name} has no version {missing.join(" or ")}. It has versions {[...numbers].reverse().join(", ")}.
        </Alert>
      </>
    );
  const diff = await compareTaskVersions(db, access, name, from, to);
  const added = diff.fields.reduce((sum, f) => sum + f.added, 0);
  const removed = diff.fields.reduce((sum, f) => sum + f.removed, 0);
  return (
    <>
      {back}
      <PageHeader
        title={`Compare versions of ${name}`}
        description={
          diff.identical
            ? `Versions ${from} and ${to} have the same content.`
            : `Version ${from} → version ${to}: ${added} line${added === 1 ? "" : "s"} added, ${removed} removed.`
        }
      />
      <Section title="Pick two versions">
        {picker}
        <div className="mt-4 grid gap-3 sm:grid-cols-2">
          <VersionCard project={slug} task={name} version={diff.from} />
          <VersionCard project={slug} task={name} version={diff.to} />
        </div>
        <p className="mt-3 text-xs text-slate-600">
          Legend: <span className="font-bold text-red-700">−</span> removed (left, version {from}),{" "}
          <span className="font-bold text-emerald-700">+</span> added (right, version {to}).
        </p>
      </Section>
      <Section title="Scores, parameters and variables" id="compare-summary">
        <CompareSummary project={slug} comparison={diff} />
      </Section>
      <div className="space-y-6">
        {diff.fields.map((field) => (
          <FieldDiffTable key={field.field} diff={field} from={from} to={to} />
        ))}
      </div>
    </>
  );
}
