// The period and the split (by model or by provider) of the monitoring charts: a plain GET form, so the
// view is a link that can be shared.
import {
  MONITORING_RANGES,
  type MonitoringRange,
  SERIES_SPLITS,
  type SeriesSplit,
} from "@/lib/services/monitoring";

const SELECT = "max-w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export function MonitoringFilters({
  action,
  range,
  split,
}: {
  action: string;
  range: MonitoringRange;
  split: SeriesSplit;
}) {
  return (
    <form method="get" action={action} className="mb-4 flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="range" className="block text-sm font-medium">
          Period
        </label>
        <select id="range" name="range" defaultValue={range} className={SELECT}>
          {Object.entries(MONITORING_RANGES).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="split" className="block text-sm font-medium">
          Split by
        </label>
        <select id="split" name="split" defaultValue={split} className={SELECT}>
          {Object.entries(SERIES_SPLITS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
      >
        Show
      </button>
    </form>
  );
}
