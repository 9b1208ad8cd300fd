import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { AccessDenied, EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { AppError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { type AuditEntryView, auditEntryView, listProjectAudit } from "@/lib/services/audit-log";
import { AUDIT_ACTIONS } from "@/lib/validation/audit";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const FILTERS = ["member.", "api_key.", "project.", ...AUDIT_ACTIONS];

function summary(value: Record<string, unknown> | null): string {
  if (!value) return "";
  return Object.entries(value)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

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
        <div>
          <label htmlFor="action" className="block text-sm font-medium">
            Action
          </label>
          <select
            id="action"
            name="action"
            defaultValue={action ?? ""}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            <option value="">All actions</option>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {f.endsWith(".") ? `${f}*` : f}
              </option>
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
          <EmptyState title="No entries" />
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4">
                    Time
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Action
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Actor
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Target
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Change
                  </th>
                  <th scope="col" className="py-2">
                    From
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {page.items.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
                      <Time value={e.createdAt} />
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs">{e.action}</td>
                    <td className="py-2 pr-4">
                      {e.actor.label}
                      {e.actor.type === "api_key" ? (
                        <span className="text-xs text-slate-500"> (API key)</span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4">{e.target.label ?? ""}</td>
                    <td className="py-2 pr-4 text-xs text-slate-700">
                      {e.before ? <div>before — {summary(e.before)}</div> : null}
                      {e.after ? <div>after — {summary(e.after)}</div> : null}
                    </td>
                    <td className="py-2 text-xs text-slate-500">{e.ip ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Audit log pages" className="mt-4 flex gap-4 text-sm">
          {query.cursor ? (
            <Link href={withParams({})} className="text-indigo-700 hover:underline">
              Newest entries
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={withParams({ cursor: page.nextCursor })} className="text-indigo-700 hover:underline">
              Older entries
            </Link>
          ) : null}
        </nav>
      </Section>
    </>
  );
}
