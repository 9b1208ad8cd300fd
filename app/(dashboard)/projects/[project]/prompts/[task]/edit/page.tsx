import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PromptEditor } from "@/components/prompts/editor/prompt-editor";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { getPromptTask, getTaskVersion, listTaskVersionNumbers } from "@/lib/services/prompts/reads";
import { listProjectModelConfigs } from "@/lib/services/settings";

export const metadata: Metadata = { title: "New prompt version" };

/** The editor for a new version of the task, starting from `?from=N` (default: the newest version). */
export default async function EditPromptPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; task: string }>;
  searchParams: Promise<{ from?: string | string[] }>;
}) {
  const { project: slug, task: name } = await params;
  const query = await searchParams;
  const base = `/projects/${slug}/prompts/${encodeURIComponent(name)}`;
  const { db, access } = await requireProjectPage(slug, `${base}/edit`);
  let numbers: number[];
  try {
    await getPromptTask(db, access, name);
    numbers = await listTaskVersionNumbers(db, access, name);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const back = <BackLink href={base}>{name}</BackLink>;
  if (!hasRole(access.role, "editor"))
    return (
      <>
        {back}
        <PageHeader title={`New version of ${name}`} />
        <EmptyState title="Writing prompts needs the editor role">
          You are <strong>{access.role}</strong> in this project. Ask an owner or admin for the editor role.
        </EmptyState>
      </>
    );
  const asked = typeof query.from === "string" && /^\d{1,9}$/.test(query.from) ? Number(query.from) : null;
  const from = asked !== null && numbers.includes(asked) ? asked : (numbers[0] ?? null);
  const [source, modelConfigs] = await Promise.all([
    from !== null ? getTaskVersion(db, access, name, from) : null,
    listProjectModelConfigs(db, access),
  ]);
  return (
    <>
      {back}
      <PageHeader
        title={`New version of ${name}`}
        description={
          from !== null
            ? `Starts from version ${from}. Saving creates version ${(numbers[0] ?? 0) + 1}; version ${from} stays as it is.`
            : "The task's first version."
        }
      />
      <Section title="Prompt" id="prompt-editor">
        <PromptEditor
          project={slug}
          target={{ kind: "version", name, basedOn: from }}
          source={source}
          modelConfigs={modelConfigs.map((c) => ({ name: c.name, model: c.model }))}
        />
      </Section>
    </>
  );
}
