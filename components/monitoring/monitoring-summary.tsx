// The charts of the model calls: one sentence of totals, the series legend, then spend, calls, error
// rate, cache hit rate and latency percentiles side by side.

import type { ProjectMonitoring } from "@/lib/services/monitoring";
import { MAX_SERIES, monitoringCharts } from "@/lib/services/monitoring-charts";
import { formatValue } from "./format";
import { SeriesLegend } from "./series-legend";
import { TimeSeriesChart } from "./time-series-chart";

export function MonitoringSummary({ view }: { view: ProjectMonitoring }) {
  const { calls, errors, cacheHits, costUsd } = view.totals;
  const charts = monitoringCharts(view);
  const hourly = view.bucket === "hour";
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        {`${formatValue(calls, "count")} calls costing ${formatValue(costUsd, "usd")}; ${formatValue(errors / calls, "percent")} failed and ${formatValue(cacheHits / calls, "percent")} came from the cache. Times are UTC, one point per ${hourly ? "hour" : "day"}.`}
      </p>
      <SeriesLegend
        series={view.series.slice(0, MAX_SERIES)}
        hidden={Math.max(0, view.series.length - MAX_SERIES)}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        {charts.map((spec) => (
          <TimeSeriesChart key={spec.id} spec={spec} buckets={view.buckets} hourly={hourly} />
        ))}
      </div>
    </div>
  );
}
