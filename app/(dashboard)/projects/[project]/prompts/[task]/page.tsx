import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PromptVersionView } from "@/components/prompts/prompt-version-view";
import { SourceBadge } from "@/components/prompts/source-badge";
import { VersionPicker } from "@/components/prompts/version-picker";
import { EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { getTaskVersion, listTaskVersionNumbers, listTaskVersions } from "@/lib/services/prompts";

export const metadata: Metadata = { title: "Prompt versions" };

const PAGE_SIZE = 30;

const positiveInt = (value: string | string[] | undefined): number | null => {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
};

export default async function TaskPromptsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; task: string }>;
  searchParams: Promise<{ version?: string | string[]; before?: string | string[] }>;
}) {
  const { project: slug, task: name } = await params;
  const query = await searchParams;
  const base = `/projects/${slug}/prompts/${encodeURIComponent(name)}`;
  const { db, access } = await requireProjectPage(slug, base);
  const before = positiveInt(query.before);
  let page: Awaited<ReturnType<typeof listTaskVersions>>;
  try {
    page = await listTaskVersions(db, access, name, { before, limit: PAGE_SIZE });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const numbers = await listTaskVersionNumbers(db, access, name);
  const latest = numbers[0] ?? null;
  const asked = positiveInt(query.version);
  const selected = asked !== null && numbers.includes(asked) ? asked : latest;
  const version = selected !== null ? await getTaskVersion(db, access, name, selected) : null;
  const previous = selected !== null ? (numbers.find((n) => n < selected) ?? selected) : null;
  const link = (extra: Record<string, string | number>) =>
    `${base}?${new URLSearchParams(Object.entries(extra).map(([k, v]) => [k, String(v)]))}`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/projects/${slug}/prompts`} className="text-indigo-700 hover:underline">
          <span aria-hidden="true">← </span>Prompts
        </Link>
      </p>
      <PageHeader
        title={page.task.name}
        description={
          page.task.description ||
          `${page.task.versionCount} version${page.task.versionCount === 1 ? "" : "s"}`
        }
      />
      {version === null || selected === null ? (
        <EmptyState title="This task has no prompt version yet" />
      ) : (
        <>
          {numbers.length > 1 ? (
            <Section title="Compare versions">
              <VersionPicker
                action={`${base}/diff`}
                versions={numbers}
                from={previous ?? selected}
                to={selected}
              />
            </Section>
          ) : null}
          <div className="flex flex-col gap-6 lg:flex-row lg:items-start">
            <nav aria-label="Versions" className="lg:w-52 lg:shrink-0">
              <h2 className="mb-2 text-sm font-semibold">Versions ({page.task.versionCount})</h2>
              <ul className="space-y-1">
                {page.items.map((v) => (
                  <li key={v.id}>
                    <Link
                      href={link({ version: v.version, ...(before ? { before } : {}) })}
                      aria-current={v.version === selected ? "page" : undefined}
                      className={`block rounded-md border px-3 py-2 text-sm ${v.version === selected ? "border-indigo-300 bg-indigo-50" : "border-transparent hover:bg-slate-100"}`}
                    >
                      <span className="flex items-center justify-between gap-2">
                        <span className="whitespace-nowrap font-medium">Version {v.version}</span>
                        <SourceBadge source={v.source} />
                      </span>
                      <span className="mt-0.5 block text-xs text-slate-500">
                        {v.version === latest ? "latest · " : null}
                        <Time value={v.createdAt} />
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
              <div className="mt-2 flex gap-3 text-sm">
                {before ? (
                  <Link href={base} className="text-indigo-700 hover:underline">
                    Newest
                  </Link>
                ) : null}
                {page.nextBefore ? (
                  <Link href={link({ before: page.nextBefore })} className="text-indigo-700 hover:underline">
                    Older versions
                  </Link>
                ) : null}
              </div>
            </nav>
            <div className="min-w-0 flex-1">
              <Section title={`Version ${version.version}`} id="prompt-version">
                <PromptVersionView project={slug} version={version} />
              </Section>
            </div>
          </div>
        </>
      )}
    </>
  );
}
