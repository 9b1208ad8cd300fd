import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DatasetPreview } from "@/components/datasets/dataset-preview";
import { DeleteDatasetButton } from "@/components/datasets/delete-dataset-button";
import { SplitForm } from "@/components/datasets/split-form";
import { UploadDatasetForm } from "@/components/datasets/upload-dataset-form";
import { EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { maxUploadBytes } from "@/lib/services/dataset-upload";
import { type DatasetVersionView, getProjectDataset } from "@/lib/services/datasets";
import { getProjectView } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Dataset" };

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;

function SplitSummary({ v }: { v: DatasetVersionView }) {
  const { splits } = v;
  return (
    <span>
      {pct(1 - splits.validation - splits.test)} / {pct(splits.validation)} / {pct(splits.test)}, seed{" "}
      {splits.seed}
      {splits.counts ? (
        <span className="block text-xs text-slate-500">
          {splits.counts.train} / {splits.counts.validation} / {splits.counts.test} rows
        </span>
      ) : (
        <span className="block text-xs text-amber-700">too few rows to split</span>
      )}
    </span>
  );
}

export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; dataset: string }>;
  searchParams: Promise<{ version?: string }>;
}) {
  const { project: slug, dataset: ref } = await params;
  const { version: asked } = await searchParams;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/datasets/${ref}`);
  let dataset: Awaited<ReturnType<typeof getProjectDataset>>;
  try {
    dataset = await getProjectDataset(db, access, ref);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const archived = (await getProjectView(db, access)).archivedAt !== null;
  const canWrite = hasRole(access.role, "editor") && !archived;
  const latest = dataset.versions[0];
  const selected = dataset.versions.find((v) => String(v.version) === asked) ?? latest;
  const base = `/projects/${slug}/datasets/${dataset.id}`;
  const api = `/api/v1/projects/${slug}/datasets/${dataset.id}/versions`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/projects/${slug}/datasets`} className="text-indigo-700 hover:underline">
          ← Datasets
        </Link>
      </p>
      <PageHeader
        title={dataset.name}
        description={
          latest
            ? `${dataset.versionCount} version${dataset.versionCount === 1 ? "" : "s"}; latest v${latest.version}, ${latest.rowCount.toLocaleString("en-US")} rows.`
            : "No versions."
        }
        actions={
          canWrite ? (
            <DeleteDatasetButton project={slug} dataset={dataset.id} name={dataset.name} />
          ) : undefined
        }
      />

      <Section title="Versions">
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4">
                  Version
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  Rows
                </th>
                <th scope="col" className="py-2 pr-4">
                  Source
                </th>
                <th scope="col" className="py-2 pr-4">
                  Splits (train / validation / test)
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  Runs
                </th>
                <th scope="col" className="py-2 pr-4">
                  Created
                </th>
                <th scope="col" className="py-2">
                  Download
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {dataset.versions.map((v) => (
                <tr key={v.id} className={v.id === selected?.id ? "bg-indigo-50/50" : ""}>
                  <td className="py-2 pr-4">
                    <Link
                      href={`${base}?version=${v.version}`}
                      aria-current={v.id === selected?.id ? "true" : undefined}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      v{v.version}
                    </Link>
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">{v.rowCount.toLocaleString("en-US")}</td>
                  <td className="py-2 pr-4">
                    <span className="font-mono text-xs">{v.sourceName}</span>
                    {v.note ? <span className="block text-xs text-slate-500">{v.note}</span> : null}
                  </td>
                  <td className="py-2 pr-4">
                    <SplitSummary v={v} />
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">{v.runCount}</td>
                  <td className="py-2 pr-4">
                    <Time value={v.createdAt} />
                  </td>
                  <td className="py-2">
                    <span className="flex gap-3">
                      <a
                        href={`${api}/${v.version}/download?format=csv`}
                        className="text-indigo-700 hover:underline"
                      >
                        CSV<span className="sr-only"> of version {v.version}</span>
                      </a>
                      <a
                        href={`${api}/${v.version}/download?format=jsonl`}
                        className="text-indigo-700 hover:underline"
                      >
                        JSONL<span className="sr-only"> of version {v.version}</span>
                      </a>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      {selected ? (
        <Section title={`Version ${selected.version}`} id="preview">
          {canWrite && latest && selected.id !== latest.id ? (
            <p className="mb-3 text-sm text-slate-600">
              Rows are edited on the latest version:{" "}
              <Link
                href={`${base}?version=${latest.version}#preview-heading`}
                className="text-indigo-700 underline"
              >
                open version {latest.version}
              </Link>
              .
            </p>
          ) : null}
          {archived ? (
            <p className="mb-3 text-sm text-slate-600">
              This project is archived: its datasets can be read and downloaded, not changed.
            </p>
          ) : null}
          <dl className="mb-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-xs uppercase text-slate-500">Input variables</dt>
              <dd className="font-mono text-xs">{selected.inputColumns.join(", ") || "—"}</dd>
            </div>
            <div>
              <dt className="text-xs uppercase text-slate-500">Expected output</dt>
              <dd className="font-mono text-xs">{selected.expectedColumn}</dd>
            </div>
            <div>
              <dt className="text-xs uppercase text-slate-500">Ids</dt>
              <dd className="text-xs">
                {selected.idColumn ? <span className="font-mono">{selected.idColumn}</span> : "row numbers"}
              </dd>
            </div>
            <div>
              <dt className="text-xs uppercase text-slate-500">Version id (for runs)</dt>
              <dd className="font-mono text-xs">{selected.id}</dd>
            </div>
          </dl>
          <DatasetPreview
            key={selected.id}
            project={slug}
            dataset={dataset.id}
            version={selected.version}
            rowCount={selected.rowCount}
            inputColumns={selected.inputColumns}
            expectedColumn={selected.expectedColumn}
            extraColumns={selected.columns.filter(
              (c) =>
                c !== selected.expectedColumn &&
                c !== selected.idColumn &&
                !selected.inputColumns.includes(c),
            )}
            editing={
              canWrite && latest && selected.id === latest.id
                ? {
                    project: slug,
                    dataset: dataset.id,
                    baseVersion: latest.version,
                    rowCount: latest.rowCount,
                    idColumn: latest.idColumn,
                    inputColumns: latest.inputColumns,
                    expectedColumn: latest.expectedColumn,
                  }
                : undefined
            }
          />
        </Section>
      ) : (
        <EmptyState title="No versions" />
      )}

      {canWrite && latest ? (
        <>
          <Section title="Split configuration">
            <SplitForm
              project={slug}
              dataset={dataset.id}
              latestVersion={latest.version}
              splits={latest.splits}
            />
          </Section>
          <Section title="Upload a new version">
            <UploadDatasetForm
              project={slug}
              maxBytes={maxUploadBytes()}
              target={{
                id: dataset.id,
                name: dataset.name,
                expectedColumn: latest.expectedColumn,
                inputColumns: latest.inputColumns,
                idColumn: latest.idColumn,
                splits: latest.splits,
              }}
            />
          </Section>
        </>
      ) : null}
    </>
  );
}
