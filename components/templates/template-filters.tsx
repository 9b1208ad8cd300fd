// Search and filters of the library: a plain GET form, so the results are a link to share and the
// page works before any script has loaded.
import Link from "next/link";
import type { TemplateListQuery } from "@/lib/validation/template-api";
import { TEMPLATE_CATEGORIES } from "@/lib/validation/templates";
import { CATEGORY_LABELS, templatePath } from "./labels";

const CONTROL =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

export function TemplateFilters({
  project,
  query,
  metrics,
}: {
  project: string;
  query: TemplateListQuery;
  metrics: string[];
}) {
  const filtered = Boolean(query.q || query.category || query.metric);
  return (
    <form
      method="get"
      aria-label="Search templates"
      className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
    >
      <div>
        <label htmlFor="template-q" className="block text-sm font-medium text-slate-800">
          Search
        </label>
        <input
          id="template-q"
          name="q"
          type="search"
          defaultValue={query.q ?? ""}
          placeholder="e.g. support, JSON, invoice"
          className={`mt-1 ${CONTROL}`}
        />
      </div>
      <div>
        <label htmlFor="template-category" className="block text-sm font-medium text-slate-800">
          Category
        </label>
        <select
          id="template-category"
          name="category"
          defaultValue={query.category ?? ""}
          className={`mt-1 ${CONTROL}`}
        >
          <option value="">All categories</option>
          {TEMPLATE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="template-metric" className="block text-sm font-medium text-slate-800">
          Metric
        </label>
        <select
          id="template-metric"
          name="metric"
          defaultValue={query.metric ?? ""}
          className={`mt-1 ${CONTROL}`}
        >
          <option value="">All metrics</option>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <div className="flex gap-2">
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
        >
          Search
        </button>
        {filtered ? (
          <Link
            href={templatePath(project)}
            className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
          >
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
