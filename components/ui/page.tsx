// Page scaffolding: header, sections, empty and denied states, role badges, timestamps.
import type { ReactNode } from "react";
import type { Role } from "@/lib/core/roles";

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/\W+/g, "-")}-heading`;
  return (
    <section
      aria-labelledby={headingId}
      className="mb-8 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 id={headingId} className="mb-4 text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="font-medium text-slate-800">{title}</p>
      {children ? <div className="mt-2 text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}

export function AccessDenied({ required, role }: { required: Role; role: Role }) {
  return (
    <EmptyState title="You cannot see this page">
      It needs the <strong>{required}</strong> role in this project; you are <strong>{role}</strong>. Ask an
      owner or admin.
    </EmptyState>
  );
}

const ROLE_COLORS: Record<Role, string> = {
  owner: "bg-indigo-100 text-indigo-800",
  admin: "bg-sky-100 text-sky-800",
  editor: "bg-emerald-100 text-emerald-800",
  viewer: "bg-slate-100 text-slate-700",
};

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${ROLE_COLORS[role]}`}>{role}</span>;
}

/** A UTC timestamp, the same on server and client. */
export function Time({ value }: { value: Date | string | null }) {
  if (!value) return <span className="text-slate-400">never</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const text = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return <time dateTime={date.toISOString()}>{text}</time>;
}
