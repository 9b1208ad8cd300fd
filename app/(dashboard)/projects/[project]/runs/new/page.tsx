import type { Metadata } from "next";
import { type StartRunChoices, StartRunForm, type StartRunPreset } from "@/components/runs/start-run-form";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listMetrics } from "@/lib/metrics/registry";
import { optimizers } from "@/lib/optimizers/registry";
import { getProjectDataset, listProjectDatasets } from "@/lib/services/datasets";
import { listPromptTasks, listTaskVersionNumbers } from "@/lib/services/prompts";
import { appRunner } from "@/lib/services/runs/reads";
import { listProjectMetricConfigs, listProjectModelConfigs } from "@/lib/services/settings";

export const metadata: Metadata = { title: "Start a run" };

/** The offline simulator (lib/llm/sim): always available, no credentials, as the bundled examples use it. */
const SIM_MODELS = ["sim:default"];

/** `?task=sentiment&version=3&purpose=evaluate` (the task page's Evaluate and Optimize actions). */
function presetFrom(query: Record<string, string | string[] | undefined>): StartRunPreset {
  const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);
  const version = text(query.version);
  return {
    task: text(query.task),
    version: version && /^\d{1,9}$/.test(version) ? Number(version) : undefined,
    evaluate: text(query.purpose) === "evaluate",
  };
}

export default async function NewRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { project: slug } = await params;
  const preset = presetFrom(await searchParams);
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/runs/new`);
  const back = <BackLink href={`/projects/${slug}/runs`}>Runs</BackLink>;
  const header = (
    <PageHeader
      title="Start a run"
      description="Optimize a task's prompt on a dataset version: the run repeats the 5-step loop until a stop rule fires, then scores baseline and winner on the held-out test split."
    />
  );
  if (!hasRole(access.role, "editor"))
    return (
      <>
        {back}
        {header}
        <EmptyState title="Starting a run needs the editor role">
          You are <strong>{access.role}</strong> in this project: you can follow runs and read their results.
          Ask an owner or admin for the editor role.
        </EmptyState>
      </>
    );

  const [tasks, datasets, modelConfigs, metricConfigs] = await Promise.all([
    listPromptTasks(db, access),
    listProjectDatasets(db, access),
    listProjectModelConfigs(db, access),
    listProjectMetricConfigs(db, access),
  ]);
  const choices: StartRunChoices = {
    tasks: await Promise.all(
      tasks.map(async (t) => ({
        name: t.name,
        description: t.description,
        versions: await listTaskVersionNumbers(db, access, t.name),
      })),
    ),
    datasets: await Promise.all(
      datasets.map(async (d) => {
        const full = await getProjectDataset(db, access, d.id);
        return {
          name: d.name,
          versions: [...full.versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => ({ id: v.id, version: v.version, rowCount: v.rowCount })),
        };
      }),
    ),
    modelConfigs: modelConfigs.map((c) => ({ name: c.name, model: c.model })),
    metricConfigs: metricConfigs.map((c) => ({ name: c.name, metric: c.metric })),
    metrics: listMetrics(),
    strategies: Object.values(optimizers).map((o) => ({ name: o.name, description: o.description })),
    simModels: SIM_MODELS,
    runner: appRunner(),
  };
  return (
    <>
      {back}
      {header}
      <Section title="Run settings" id="run-settings">
        <StartRunForm project={slug} choices={choices} preset={preset} />
      </Section>
    </>
  );
}
