// The colours of the models or providers the charts draw (one legend for the whole dashboard).
import { seriesColor } from "./palette";

export function SeriesLegend({ series, hidden }: { series: string[]; hidden: number }) {
  return (
    <ul aria-label="Chart colours" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {series.map((name, k) => (
        <li key={name} className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`inline-block size-2.5 rounded-sm ${seriesColor(k).swatch}`} />
          {name}
        </li>
      ))}
      {hidden > 0 ? (
        <li className="text-slate-600">
          {`${hidden} more not drawn (the charts show the ${series.length} busiest)`}
        </li>
      ) : null}
    </ul>
  );
}
