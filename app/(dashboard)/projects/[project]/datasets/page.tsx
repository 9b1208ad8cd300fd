import type { Metadata } from "next";
import Link from "next/link";
import { UploadDatasetForm } from "@/components/datasets/upload-dataset-form";
import { EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { maxUploadBytes } from "@/lib/services/dataset-upload";
import { listProjectDatasets } from "@/lib/services/datasets";
import { getProjectView } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/datasets`);
  const [datasets, view] = await Promise.all([listProjectDatasets(db, access), getProjectView(db, access)]);
  const archived = view.archivedAt !== null;
  const canWrite = hasRole(access.role, "editor") && !archived;
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Examples for runs: input variables and the expected output. Every change is a new version; runs record the version they used."
      />
      <Section title="Datasets">
        {datasets.length === 0 ? (
          <EmptyState title="No datasets yet">
            {canWrite ? (
              <p>Upload a CSV, JSONL or JSON file below.</p>
            ) : archived ? (
              <p>This project is archived: an admin can unarchive it in Settings to add datasets.</p>
            ) : (
              <p>Editors can upload one.</p>
            )}
          </EmptyState>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4">
                    Name
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Latest version
                  </th>
                  <th scope="col" className="py-2 pr-4 text-right">
                    Rows
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Columns
                  </th>
                  <th scope="col" className="py-2">
                    Updated
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {datasets.map((d) => (
                  <tr key={d.id}>
                    <td className="py-2 pr-4 font-medium">
                      <Link
                        href={`/projects/${slug}/datasets/${d.id}`}
                        className="text-indigo-700 hover:underline"
                      >
                        {d.name}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">
                      {d.latestVersion ? `v${d.latestVersion.version}` : "—"}
                      <span className="text-xs text-slate-500"> of {d.versionCount}</span>
                    </td>
                    <td className="py-2 pr-4 text-right tabular-nums">
                      {d.latestVersion?.rowCount.toLocaleString("en-US") ?? "—"}
                    </td>
                    <td className="py-2 pr-4 text-xs text-slate-600">
                      {d.latestVersion ? (
                        <>
                          <span className="font-mono">{d.latestVersion.inputColumns.join(", ")}</span> →{" "}
                          <span className="font-mono">{d.latestVersion.expectedColumn}</span>
                        </>
                      ) : null}
                    </td>
                    <td className="py-2">
                      <Time value={d.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {canWrite ? (
        <Section title="Upload a dataset">
          <UploadDatasetForm project={slug} maxBytes={maxUploadBytes()} />
        </Section>
      ) : null}
    </>
  );
}
