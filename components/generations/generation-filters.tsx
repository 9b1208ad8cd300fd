// The generations list's filters (the list API's own: version, label, subject, experiment, feedback) as
// a plain GET form, so a filtered list is a link; and the query string they make, which the pager keeps.

import { SelectField, TextField } from "@/components/ui/field";
import { FilterActions } from "@/components/ui/filter-actions";
import { GENERATION_FEEDBACK_FILTERS, type GenerationFilters } from "@/lib/validation/generations";

const one = (value: string | string[] | undefined) =>
  typeof value === "string" && value ? value : undefined;

/** The filters in a page's query; values the list cannot take are dropped. */
export function generationFiltersFrom(
  query: Record<string, string | string[] | undefined>,
): GenerationFilters {
  const version = one(query.version);
  const feedback = one(query.feedback);
  return {
    version: version && /^[1-9]\d{0,8}$/.test(version) ? Number(version) : undefined,
    label: one(query.label)?.slice(0, 100),
    subject: one(query.subject)?.slice(0, 200),
    experiment: one(query.experiment)?.slice(0, 100),
    feedback: GENERATION_FEEDBACK_FILTERS.find((f) => f === feedback),
  };
}

/** `version=…&label=…` of the filters set (empty when none is). */
export function generationFilterQuery(filters: GenerationFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

const FEEDBACK_LABELS: Record<(typeof GENERATION_FEEDBACK_FILTERS)[number], string> = {
  any: "With feedback",
  none: "Without feedback",
  negative: "With negative feedback",
};

export function GenerationFiltersForm({
  base,
  filters,
  versions,
  experiments,
}: {
  base: string;
  filters: GenerationFilters;
  versions: number[];
  experiments: { id: string; name: string }[];
}) {
  const active = generationFilterQuery(filters) !== "";
  return (
    <form
      method="get"
      action={base}
      aria-label="Filter generations"
      className="mb-4 grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap"
    >
      <div className="sm:w-36">
        <SelectField
          id="generations-filter-version"
          name="version"
          label="Version"
          defaultValue={filters.version !== undefined ? String(filters.version) : ""}
          options={[
            { value: "", label: "Any" },
            ...versions.map((v) => ({ value: String(v), label: `Version ${v}` })),
          ]}
        />
      </div>
      <div className="sm:w-36">
        <TextField
          id="generations-filter-label"
          name="label"
          label="Label"
          defaultValue={filters.label ?? ""}
          placeholder="production"
        />
      </div>
      <div className="sm:w-44">
        <TextField
          id="generations-filter-subject"
          name="subject"
          label="Subject"
          defaultValue={filters.subject ?? ""}
          placeholder="user-42"
        />
      </div>
      <div className="col-span-2 sm:w-60">
        <SelectField
          id="generations-filter-feedback"
          name="feedback"
          label="Feedback"
          defaultValue={filters.feedback ?? ""}
          options={[
            { value: "", label: "Any or none" },
            ...GENERATION_FEEDBACK_FILTERS.map((f) => ({ value: f, label: FEEDBACK_LABELS[f] })),
          ]}
        />
      </div>
      {experiments.length > 0 || filters.experiment ? (
        <div className="col-span-2 sm:w-52">
          <SelectField
            id="generations-filter-experiment"
            name="experiment"
            label="Experiment"
            defaultValue={filters.experiment ?? ""}
            options={[
              { value: "", label: "Any or none" },
              ...experiments.map((e) => ({ value: e.id, label: e.name })),
              ...(filters.experiment && !experiments.some((e) => e.id === filters.experiment)
                ? [{ value: filters.experiment, label: filters.experiment }]
                : []),
            ]}
          />
        </div>
      ) : null}
      <div className="col-span-2 flex items-center gap-3">
        <FilterActions base={base} active={active} />
      </div>
    </form>
  );
}
