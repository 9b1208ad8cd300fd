// The experiment's analyses over time: exposures, the metric per variant with its always-valid interval,
// the chance each variant beats control, and the traffic allocation (bandit mode moves it).
import type { ExperimentDetail } from "@/lib/validation/experiments";
import { metricKind } from "@/lib/validation/experiments";
import { VariantChart, type VariantSeries } from "./variant-chart";
import { metricFormat, percent } from "./variant-names";

type Analysis = ExperimentDetail["analyses"][number];
type VariantSnapshot = Analysis["variants"][number];

function seriesOf(
  experiment: ExperimentDetail,
  pick: (v: VariantSnapshot) => { value: number; low?: number | null; high?: number | null } | null,
  from = 0,
): VariantSeries[] {
  return experiment.variants.slice(from).map((variant) => ({
    index: variant.index,
    points: experiment.analyses.map((a) => {
      const v = a.variants.find((x) => x.index === variant.index);
      return v ? pick(v) : null;
    }),
  }));
}

export function ExperimentCharts({ experiment }: { experiment: ExperimentDetail }) {
  const times = experiment.analyses.map((a) =>
    new Date(a.createdAt).toISOString().slice(0, 16).replace("T", " "),
  );
  const format = metricFormat(metricKind(experiment.metric));
  return (
    <div className="grid gap-6 lg:grid-cols-2" data-testid="experiment-charts">
      <VariantChart
        title="Subjects exposed"
        times={times}
        format={(v) => Math.round(v).toString()}
        series={seriesOf(experiment, (v) => ({ value: v.exposures }))}
      />
      <VariantChart
        title={`${experiment.metric.name} per variant (95% always-valid interval)`}
        times={times}
        format={format}
        series={seriesOf(experiment, (v) =>
          v.n > 0 ? { value: v.mean, low: v.interval[0], high: v.interval[1] } : null,
        )}
      />
      <VariantChart
        title="Chance to beat control"
        times={times}
        format={percent}
        fixed={[0, 1]}
        series={seriesOf(
          experiment,
          (v) => (v.chanceToBeatControl === null ? null : { value: v.chanceToBeatControl }),
          1,
        )}
      />
      <VariantChart
        title="Traffic allocation"
        times={times}
        format={percent}
        fixed={[0, 1]}
        series={seriesOf(experiment, (v) => ({ value: v.allocation }))}
      />
    </div>
  );
}
