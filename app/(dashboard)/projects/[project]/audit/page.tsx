import type { Metadata } from "next";
import { AuditEntryList } from "@/components/audit/audit-entry-list";
import { Alert } from "@/components/ui/alert";
import { LinkPager } from "@/components/ui/link-pager";
import { AccessDenied, EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { AppError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { type AuditEntryView, auditEntryView, listProjectAudit } from "@/lib/services/audit-log";
import { auditFilterGroups } from "@/lib/validation/audit-actions";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
// Every action the code can write (one declared list), grouped by what it is about.
const FILTER_GROUPS = auditFilterGroups();
const FILTERS: string[] = FILTER_GROUPS.flatMap((g) => [g.prefix, ...g.actions.map((a) => a.value)]);

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ action?: string | string[]; cursor?: string | string[] }>;
}) {
  const { project: slug } = await params;
  const query = await searchParams;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/audit`);
  const header = (
    <PageHeader title="Audit log" description="Who changed what in this project, newest first." />
  );
  if (!hasRole(access.role, "admin"))
    return (
      <>
        {header}
        <AccessDenied required="admin" role={access.role} />
      </>
    );

  const action =
    typeof query.action === "string" && FILTERS.includes(query.action) ? query.action : undefined;
  let page: { items: AuditEntryView[]; nextCursor: string | null };
  try {
    const cursor = decodeCursor(typeof query.cursor === "string" ? query.cursor : null);
    page = toPageResponse(
      await listProjectAudit(db, access, { action, cursor, limit: PAGE_SIZE }),
      auditEntryView,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <>
        {header}
        <Alert tone="error">{error.message}</Alert>
      </>
    );
  }
  const base = `/projects/${slug}/audit`;
  const withParams = (extra: Record<string, string>) => {
    const search = new URLSearchParams({ ...(action ? { action } : {}), ...extra });
    return search.size ? `${base}?${search}` : base;
  };

  return (
    <>
      {header}
      <form method="get" action={base} className="mb-4 flex flex-wrap items-end gap-2">
        <div className="min-w-0 max-w-full">
          <label htmlFor="action" className="block text-sm font-medium">
            Action
          </label>
          <select
            id="action"
            name="action"
            defaultValue={action ?? ""}
            className="max-w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            <option value="">All actions</option>
            {FILTER_GROUPS.map((group) => (
              <optgroup key={group.prefix} label={group.label}>
                <option value={group.prefix}>{`${group.label}: all`}</option>
                {group.actions.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
        >
          Filter
        </button>
      </form>
      <Section title="Entries">
        {page.items.length === 0 ? (
          <EmptyState title={action ? "No entries for this action" : "No entries yet"}>
            {action
              ? "Choose another action, or all actions."
              : "Changes to members, keys, settings, datasets, prompts and runs show up here."}
          </EmptyState>
        ) : (
          <AuditEntryList entries={page.items} />
        )}
        <LinkPager
          label="Audit log pages"
          first={query.cursor ? { href: withParams({}), text: "Newest entries" } : null}
          next={
            page.nextCursor ? { href: withParams({ cursor: page.nextCursor }), text: "Older entries" } : null
          }
        />
      </Section>
    </>
  );
}
