// The dashboard's chart values from aggregated points: rates only where there were calls (null, a gap
// in the line, elsewhere), latency percentiles per bucket, the busiest series first, nice axis ticks.
import { describe, expect, it } from "vitest";
import { formatValue } from "@/components/monitoring/format";
import type { ProjectMonitoring } from "./monitoring";
import { chartMax, MAX_SERIES, monitoringCharts, niceTicks } from "./monitoring-charts";

const B = ["2026-03-10T10:00:00.000Z", "2026-03-10T11:00:00.000Z", "2026-03-10T12:00:00.000Z"];

function view(overrides: Partial<ProjectMonitoring> = {}): ProjectMonitoring {
  return {
    range: "24h",
    split: "model",
    bucket: "hour",
    buckets: B,
    series: ["openai:gpt-4o-mini", "sim:default"],
    usage: [
      {
        bucket: B[0]!,
        series: "openai:gpt-4o-mini",
        calls: 4,
        errors: 1,
        cacheHits: 2,
        costUsd: 0.5,
        inputTokens: 0,
        outputTokens: 0,
      },
      {
        bucket: B[2]!,
        series: "openai:gpt-4o-mini",
        calls: 2,
        errors: 0,
        cacheHits: 0,
        costUsd: 0.25,
        inputTokens: 0,
        outputTokens: 0,
      },
      {
        bucket: B[2]!,
        series: "sim:default",
        calls: 5,
        errors: 5,
        cacheHits: 0,
        costUsd: 0,
        inputTokens: 0,
        outputTokens: 0,
      },
    ],
    latency: [{ bucket: B[0]!, series: "openai:gpt-4o-mini", count: 2, p50: 120, p95: 480 }],
    totals: { calls: 11, errors: 6, cacheHits: 2, costUsd: 0.75 },
    jobs: [],
    failures: [],
    ...overrides,
  };
}

const chart = (spec: ProjectMonitoring, id: string) => monitoringCharts(spec).find((c) => c.id === id)!;

describe("monitoring charts", () => {
  it("stacks spend and calls per bucket and series", () => {
    const spend = chart(view(), "spend");
    expect(spend.kind).toBe("stacked");
    expect(spend.series.map((s) => s.values)).toEqual([
      [0.5, 0, 0.25],
      [0, 0, 0],
    ]);
    expect(chartMax(chart(view(), "calls"), B.length)).toBe(7);
  });

  it("draws rates only where there were calls, and latency where calls were measured", () => {
    expect(chart(view(), "error-rate").series.map((s) => s.values)).toEqual([
      [0.25, null, 0],
      [null, null, 1],
    ]);
    expect(chart(view(), "cache-hit-rate").series[0]!.values).toEqual([0.5, null, 0]);
    expect(chart(view(), "latency-p50").series[0]!.values).toEqual([120, null, null]);
    expect(chart(view(), "latency-p95").series[0]!.values).toEqual([480, null, null]);
  });

  it(`draws the ${MAX_SERIES} busiest series at most`, () => {
    const many = Array.from({ length: MAX_SERIES + 3 }, (_, i) => `sim:m${i}`);
    expect(chart(view({ series: many }), "calls").series.map((s) => s.name)).toEqual(
      many.slice(0, MAX_SERIES),
    );
  });

  it("ticks the y axis at round values that cover the largest one", () => {
    expect(niceTicks(7, "count")).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0.75, "usd")).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0, "ms")).toEqual([0, 1]);
    expect(niceTicks(0.3, "percent")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(formatValue(0.25, "percent")).toBe("25%");
    expect(formatValue(0.031, "percent")).toBe("3.1%");
    expect(formatValue(1500, "ms")).toBe("2 s");
    expect(formatValue(0.004, "usd")).toBe("$0.0040");
  });
});
