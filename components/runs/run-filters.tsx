// The runs list's filters (status, kind, task: the list API's own) as a plain GET form, so a filtered
// list is a link; and the query string they make, which the pager keeps.

import { SelectField } from "@/components/ui/field";
import { FilterActions } from "@/components/ui/filter-actions";
import { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus } from "@/lib/validation/runs";

export interface RunFilterValues {
  status?: RunStatus;
  kind?: RunKind;
  task?: string;
}

const one = (value: string | string[] | undefined) =>
  typeof value === "string" && value ? value : undefined;

/** The filters in a page's query; values the list does not know are dropped. */
export function runFiltersFrom(query: Record<string, string | string[] | undefined>): RunFilterValues {
  const status = one(query.status);
  const kind = one(query.kind);
  return {
    status: RUN_STATUSES.find((s) => s === status),
    kind: RUN_KINDS.find((k) => k === kind),
    task: one(query.task)?.slice(0, 200),
  };
}

/** `status=…&kind=…&task=…` of the filters set (empty when none is). */
export function runFilterQuery(filters: RunFilterValues): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

const ANY = { value: "", label: "Any" };

export function RunFilters({
  base,
  filters,
  tasks,
}: {
  base: string;
  filters: RunFilterValues;
  tasks: string[];
}) {
  const active = runFilterQuery(filters) !== "";
  return (
    <form method="get" action={base} aria-label="Filter runs" className="mb-4 flex flex-wrap items-end gap-3">
      <div className="w-40">
        <SelectField
          id="runs-filter-status"
          name="status"
          label="Status"
          defaultValue={filters.status ?? ""}
          options={[ANY, ...RUN_STATUSES.map((s) => ({ value: s, label: s }))]}
        />
      </div>
      <div className="w-40">
        <SelectField
          id="runs-filter-kind"
          name="kind"
          label="Kind"
          defaultValue={filters.kind ?? ""}
          options={[ANY, { value: "optimize", label: "optimize" }, { value: "eval", label: "eval" }]}
        />
      </div>
      <div className="w-48">
        <SelectField
          id="runs-filter-task"
          name="task"
          label="Task"
          defaultValue={filters.task ?? ""}
          options={[ANY, ...tasks.map((t) => ({ value: t, label: t }))]}
        />
      </div>
      <FilterActions base={base} active={active} />
    </form>
  );
}
