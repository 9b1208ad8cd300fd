// How the monitoring charts write their values: money, counts, shares and durations.
import { durationText, usd } from "@/components/runs/format";
import type { ValueFormat } from "@/lib/services/monitoring-charts";

export function formatValue(value: number, format: ValueFormat): string {
  switch (format) {
    case "usd":
      return usd(value);
    case "count":
      return Math.round(value).toLocaleString("en-US");
    case "percent":
      return `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%`;
    case "ms":
      return durationText(value);
  }
}
