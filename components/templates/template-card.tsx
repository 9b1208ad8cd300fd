// One template in the library grid: name (to its page), category, description, metrics and variables.
import Link from "next/link";
import type { TemplateSummary } from "@/lib/validation/template-api";
import { CATEGORY_LABELS, templatePath } from "./labels";

function Chips({ label, items }: { label: string; items: string[] }) {
  return (
    <div className="flex flex-wrap items-baseline gap-1 text-xs">
      <span className="text-slate-500">{label}:</span>
      {items.map((item) => (
        <span key={item} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700">
          {item}
        </span>
      ))}
    </div>
  );
}

export function TemplateCard({ project, template }: { project: string; template: TemplateSummary }) {
  const headingId = `template-${template.slug}`;
  return (
    <li>
      <article
        aria-labelledby={headingId}
        className="flex h-full flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      >
        <div className="flex flex-wrap items-center gap-2">
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-800">
            {CATEGORY_LABELS[template.category]}
          </span>
          {template.source === "project" ? (
            <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">
              This project
            </span>
          ) : null}
        </div>
        <h3 id={headingId} className="text-base font-semibold">
          <Link href={templatePath(project, template.slug)} className="text-indigo-700 hover:underline">
            {template.name}
          </Link>
        </h3>
        <p className="text-sm text-slate-700">{template.description}</p>
        <div className="mt-auto space-y-1 pt-2">
          <Chips label="Metrics" items={template.metrics} />
          <Chips label="Variables" items={template.variables} />
          <p className="text-xs text-slate-500">
            {template.rowCount > 0 ? `${template.rowCount} example rows` : "No example rows"}
          </p>
        </div>
      </article>
    </li>
  );
}
