import type { Metadata } from "next";
import Link from "next/link";
import { Playground } from "@/components/playground/playground";
import { EmptyState, PageHeader } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listProjectDatasets } from "@/lib/services/datasets";
import { listPromptTasks, listTaskVersions } from "@/lib/services/prompts/reads";
import { listProjectModelConfigs } from "@/lib/services/settings";

export const metadata: Metadata = { title: "Playground" };

/** Versions offered in the pickers: the newest ones. */
const VERSIONS = 50;

const positiveInt = (value: string | string[] | undefined) =>
  typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : null;

/** The playground of `?task=` (default: the first task), starting from `?version=` (default: the newest). */
export default async function PlaygroundPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ task?: string | string[]; version?: string | string[] }>;
}) {
  const { project: slug } = await params;
  const query = await searchParams;
  const base = `/projects/${slug}/playground`;
  const { db, access } = await requireProjectPage(slug, base);
  const header = (
    <PageHeader
      title="Playground"
      description="Run versions of a prompt, or drafts of it, side by side on the same variables and compare their answers, tokens, latency and cost."
    />
  );
  if (!hasRole(access.role, "editor"))
    return (
      <>
        {header}
        <EmptyState title="The playground needs the editor role">
          Each run calls a model and spends the project&apos;s credits. You are <strong>{access.role}</strong>{" "}
          in this project: ask an owner or admin for the editor role, or{" "}
          <Link href={`/projects/${slug}/prompts`} className="text-indigo-700 hover:underline">
            read the prompts
          </Link>
          .
        </EmptyState>
      </>
    );
  const tasks = (await listPromptTasks(db, access)).filter((t) => t.latestVersion !== null);
  if (tasks.length === 0)
    return (
      <>
        {header}
        <EmptyState title="No prompt to try yet">
          <Link href={`/projects/${slug}/prompts?new`} className="text-indigo-700 hover:underline">
            Write a prompt
          </Link>{" "}
          first; then run it here on a few inputs.
        </EmptyState>
      </>
    );
  const task = tasks.find((t) => t.name === query.task) ?? tasks[0]!;
  const [page, modelConfigs, datasets] = await Promise.all([
    listTaskVersions(db, access, task.name, { before: null, limit: VERSIONS }),
    listProjectModelConfigs(db, access),
    listProjectDatasets(db, access),
  ]);
  const asked = positiveInt(query.version);
  const initial = page.items.find((v) => v.version === asked) ?? page.items[0]!;
  return (
    <>
      {header}
      <Playground
        key={`${task.name}:${initial.version}`}
        project={slug}
        tasks={tasks.map((t) => t.name)}
        task={task.name}
        initialVersion={initial.version}
        versions={page.items.map((v) => ({
          version: v.version,
          message: v.message,
          systemPrompt: v.systemPrompt,
          outputPrompt: v.outputPrompt,
          demos: v.demos,
          params: v.params,
          variableSchema: v.variableSchema,
          model: v.model,
        }))}
        models={[
          { value: "sim:default", label: "sim:default (offline simulator, free)" },
          ...modelConfigs.map((c) => ({ value: c.name, label: `${c.name} (${c.model})` })),
        ]}
        datasets={datasets.map((d) => ({
          name: d.name,
          latest: d.latestVersion
            ? {
                version: d.latestVersion.version,
                rowCount: d.latestVersion.rowCount,
                inputColumns: d.latestVersion.inputColumns,
              }
            : null,
        }))}
      />
    </>
  );
}
