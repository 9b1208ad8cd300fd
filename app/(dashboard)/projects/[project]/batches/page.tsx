import type { Metadata } from "next";
import Link from "next/link";
import { BatchesTable } from "@/components/batches/batches-table";
import { RefreshWhileActive } from "@/components/batches/refresh-while-active";
import {
  type BatchFormDataset,
  type BatchFormTask,
  StartBatchForm,
} from "@/components/batches/start-batch-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import type { ProjectAccess } from "@/lib/auth/principal";
import { AppError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { decodeCursor, encodeCursor } from "@/lib/http/pagination";
import { type BatchSummary, listBatches } from "@/lib/services/batches";
import type { Db } from "@/lib/services/database";
import { getProjectDataset, listProjectDatasets } from "@/lib/services/datasets";
import type { Page } from "@/lib/services/pagination";
import { listPromptTasks, listTaskVersionNumbers } from "@/lib/services/prompts";
import { listProjectModelConfigs } from "@/lib/services/settings";
import { BATCH_STATUSES, batchStatusSchema } from "@/lib/validation/batches";

export const metadata: Metadata = { title: "Batches" };

const PAGE_SIZE = 25;

/** What the start form offers: tasks with prompt versions, dataset versions, model configurations. */
async function formChoices(db: Db, access: ProjectAccess) {
  const tasks: BatchFormTask[] = [];
  for (const task of await listPromptTasks(db, access)) {
    if (!task.latestVersion) continue;
    tasks.push({ name: task.name, versions: await listTaskVersionNumbers(db, access, task.name) });
  }
  const datasets: BatchFormDataset[] = [];
  for (const d of await listProjectDatasets(db, access)) {
    const full = await getProjectDataset(db, access, d.id);
    datasets.push({
      id: d.id,
      name: d.name,
      versions: full.versions.map((v) => ({ id: v.id, version: v.version, rowCount: v.rowCount })),
    });
  }
  const models = (await listProjectModelConfigs(db, access)).map((m) => ({ name: m.name, model: m.model }));
  return { tasks, datasets, models };
}

export default async function BatchesPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ cursor?: string | string[]; status?: string | string[] }>;
}) {
  const { project: slug } = await params;
  const query = await searchParams;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/batches`);
  const canWrite = hasRole(access.role, "editor");
  const status = batchStatusSchema.safeParse(query.status).data;
  const paged = typeof query.cursor === "string";
  const base = `/projects/${slug}/batches`;
  const withStatus = (extra: Record<string, string>) => {
    const search = new URLSearchParams({ ...(status ? { status } : {}), ...extra });
    return search.size ? `${base}?${search}` : base;
  };

  let page: Page<BatchSummary> | null = null;
  let listError: string | null = null;
  try {
    page = await listBatches(db, access, {
      status,
      cursor: decodeCursor(paged ? (query.cursor as string) : null),
      limit: PAGE_SIZE,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    listError = error.message;
  }
  const choices = canWrite ? await formChoices(db, access) : null;
  const active = page?.items.some((b) => b.status === "queued" || b.status === "running") ?? false;

  return (
    <>
      <PageHeader
        title="Batches"
        description="Run one prompt version of a task over many rows (a dataset version or an uploaded file) and collect one output per row. Rows run in chunks; a restart continues where it stopped."
      />
      <RefreshWhileActive active={active} />
      <Section title="Batches">
        <form method="get" action={base} className="mb-4 flex flex-wrap items-end gap-3 text-sm">
          <label className="flex flex-col gap-1">
            <span className="font-medium text-slate-800">Status</span>
            <select
              name="status"
              defaultValue={status ?? ""}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              <option value="">Any</option>
              {BATCH_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </form>
        {listError ? (
          <Alert tone="error">{listError}</Alert>
        ) : page && page.items.length === 0 && !paged ? (
          <EmptyState title={status ? `No ${status} batches` : "No batches yet"}>
            {canWrite ? <p>Start one below.</p> : <p>Editors can start one.</p>}
          </EmptyState>
        ) : page ? (
          <>
            <BatchesTable project={slug} batches={page.items} />
            <nav aria-label="Pages" className="mt-4 flex gap-4 text-sm">
              {paged ? (
                <Link href={withStatus({})} className="text-indigo-700 hover:underline">
                  Newest batches
                </Link>
              ) : null}
              {page.next ? (
                <Link
                  href={withStatus({ cursor: encodeCursor(page.next) })}
                  className="text-indigo-700 hover:underline"
                >
                  Older batches
                </Link>
              ) : null}
            </nav>
          </>
        ) : null}
      </Section>
      {choices ? (
        <Section title="Start a batch">
          <StartBatchForm project={slug} {...choices} />
        </Section>
      ) : null}
    </>
  );
}
