// Finding templates: words of the query must all appear in the name, description, tags or notes (any
// order, any case); the category and metric filters are exact.
import type { TemplateCategory } from "@/lib/validation/templates";

/** What search and filters read of a template (a library document or a project's saved one). */
export interface Searchable {
  name: string;
  category: TemplateCategory;
  description: string;
  notes: string;
  tags: string[];
  /** Names of the suggested metrics. */
  metricNames: string[];
}

export interface TemplateFilter {
  q?: string;
  category?: TemplateCategory;
  metric?: string;
}

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

function matchesQuery(template: Searchable, q: string): boolean {
  const words = fold(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(
    [template.name, template.description, template.tags.join(" "), template.notes].join("\n"),
  );
  return words.every((word) => haystack.includes(word));
}

export function matchesFilter(template: Searchable, filter: TemplateFilter): boolean {
  if (filter.category && template.category !== filter.category) return false;
  if (filter.metric && !template.metricNames.includes(filter.metric)) return false;
  return filter.q ? matchesQuery(template, filter.q) : true;
}

export function searchTemplates<T extends Searchable>(templates: readonly T[], filter: TemplateFilter): T[] {
  return templates.filter((t) => matchesFilter(t, filter));
}
