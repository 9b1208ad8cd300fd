// The latest analysis as a table: per variant the subjects, the metric with its interval, the
// difference to control with its always-valid p-value, the chance to beat control and the traffic share;
// above it, whether CUPED narrowed the intervals and on how many subjects' pre-period values.
import type { ExperimentDetail } from "@/lib/validation/experiments";
import { metricKind } from "@/lib/validation/experiments";
import { metricFormat, percent, variantName } from "./variant-names";

type Analysis = ExperimentDetail["analyses"][number];

export function LatestAnalysis({
  experiment,
  analysis,
}: {
  experiment: ExperimentDetail;
  analysis: Analysis;
}) {
  const format = metricFormat(metricKind(experiment.metric));
  const bound = (v: number | null) => (v === null ? "…" : format(v));
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        {analysis.reason}
        {analysis.sampleRatio.mismatch ? " The observed split does not match the weights." : ""}
      </p>
      {analysis.cuped ? (
        <p className="text-sm text-slate-700" data-testid="cuped-summary">
          {analysis.cuped.applied && analysis.cuped.intervalNarrowing !== null
            ? `CUPED: intervals narrowed by ${percent(analysis.cuped.intervalNarrowing)} (${analysis.cuped.reason}).`
            : `No CUPED: ${analysis.cuped.reason}.`}
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Per variant, at the latest analysis</caption>
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Variant
              </th>
              <th scope="col" className="py-2 pr-4">
                Subjects
              </th>
              <th scope="col" className="py-2 pr-4">
                {experiment.metric.name}
              </th>
              <th scope="col" className="py-2 pr-4">
                Difference to control
              </th>
              <th scope="col" className="py-2 pr-4">
                Chance to beat control
              </th>
              <th scope="col" className="py-2">
                Traffic
              </th>
            </tr>
          </thead>
          <tbody>
            {analysis.variants.map((v) => (
              <tr key={v.index} className="border-b border-slate-100">
                <th scope="row" className="py-2 pr-4 font-medium">
                  {variantName(v.index)} (version {experiment.variants[v.index]?.version})
                </th>
                <td className="py-2 pr-4 tabular-nums">
                  {v.n.toLocaleString("en")} measured of {v.exposures.toLocaleString("en")}
                </td>
                <td className="py-2 pr-4 tabular-nums">
                  {v.n > 0 ? `${format(v.mean)} [${bound(v.interval[0])}, ${bound(v.interval[1])}]` : "—"}
                </td>
                <td className="py-2 pr-4 tabular-nums">
                  {v.difference
                    ? `${format(v.difference.estimate)} [${bound(v.difference.interval[0])}, ${bound(v.difference.interval[1])}], p = ${v.difference.pValue.toPrecision(2)}`
                    : "—"}
                </td>
                <td className="py-2 pr-4 tabular-nums">
                  {v.chanceToBeatControl === null ? "—" : percent(v.chanceToBeatControl)}
                </td>
                <td className="py-2 tabular-nums">
                  {percent(v.allocation)}
                  {v.guardrailBreaches.length > 0 ? ` · breaks ${v.guardrailBreaches.join(", ")}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
