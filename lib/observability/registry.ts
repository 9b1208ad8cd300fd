// The process's Prometheus registry (prom-client): one per process, kept on globalThis because Next.js
// loads this module once per bundle (every route, the instrumentation hook), and all of them must count
// into the same metrics that GET /api/metrics exposes. Metric names start with `strop_`; Node's default
// process metrics (CPU, memory, event loop lag, GC) are included under the same prefix.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { onGatewayEvent, type StatsEvent } from "@/lib/llm/gateway/stats";

export const METRIC_PREFIX = "strop_";

/** Latency buckets (seconds) of HTTP requests and provider calls: 5 ms … 2 min. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

const PROVIDER_LABELS = ["provider", "model"] as const;

function createMetrics(registry: Registry) {
  const registers = [registry];
  const providerCounter = (name: string, help: string) =>
    new Counter({ name: `${METRIC_PREFIX}${name}`, help, labelNames: PROVIDER_LABELS, registers });
  return {
    httpRequests: new Counter({
      name: `${METRIC_PREFIX}http_requests_total`,
      help: "API requests answered, by route (the OpenAPI path template), method and status class.",
      labelNames: ["route", "method", "status_class"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: "Time to answer an API request, by route, method and status class.",
      labelNames: ["route", "method", "status_class"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    llmCalls: providerCounter("llm_calls_total", "Gateway calls (generate and embed), cache hits included."),
    llmCacheHits: providerCounter(
      "llm_cache_hits_total",
      "Gateway calls answered by the response cache or an identical call in flight.",
    ),
    llmRequests: providerCounter(
      "llm_requests_total",
      "HTTP requests sent to the provider, retries included.",
    ),
    llmRetries: providerCounter("llm_retries_total", "Provider requests after the first attempt of a call."),
    llmFailures: providerCounter("llm_failures_total", "Gateway calls that ended in an error."),
    llmCost: providerCounter("llm_cost_usd_total", "Cost of the provider calls, in US dollars."),
    llmRateLimitWait: providerCounter(
      "llm_rate_limit_wait_seconds_total",
      "Time calls spent waiting for the rate limiter of their credential.",
    ),
    llmTokens: new Counter({
      name: `${METRIC_PREFIX}llm_tokens_total`,
      help: "Tokens of the provider calls, by direction (input or output).",
      labelNames: [...PROVIDER_LABELS, "direction"] as const,
      registers,
    }),
    llmLatency: new Histogram({
      name: `${METRIC_PREFIX}llm_latency_seconds`,
      help: "Latency of the calls that reached the provider and succeeded (retries included).",
      labelNames: PROVIDER_LABELS,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    llmCacheHitRatio: new Gauge({
      name: `${METRIC_PREFIX}llm_cache_hit_ratio`,
      help: "Share of the gateway calls answered from the cache since the process started.",
      labelNames: PROVIDER_LABELS,
      registers,
    }),
  };
}

export type ProcessMetrics = ReturnType<typeof createMetrics> & { registry: Registry };

/** "openai:gpt-4o-mini" → { provider: "openai", model: "gpt-4o-mini" }. */
export function providerLabels(modelId: string): { provider: string; model: string } {
  const colon = modelId.indexOf(":");
  return colon < 0
    ? { provider: "unknown", model: modelId }
    : { provider: modelId.slice(0, colon), model: modelId.slice(colon + 1) };
}

/** Feeds the gateway's accounting events (lib/llm/gateway/stats.ts) into the provider metrics. */
function countGatewayEvents(metrics: ProcessMetrics): void {
  const ratios = new Map<string, { calls: number; hits: number }>();
  onGatewayEvent((modelId: string, event: StatsEvent) => {
    const labels = providerLabels(modelId);
    const ratio = ratios.get(modelId) ?? { calls: 0, hits: 0 };
    ratios.set(modelId, ratio);
    switch (event.kind) {
      case "call":
        metrics.llmCalls.inc(labels);
        ratio.calls++;
        break;
      case "hit":
        metrics.llmCacheHits.inc(labels);
        ratio.hits++;
        break;
      case "request":
        metrics.llmRequests.inc(labels);
        if (event.retry) metrics.llmRetries.inc(labels);
        return;
      case "wait":
        metrics.llmRateLimitWait.inc(labels, event.ms / 1000);
        return;
      case "success":
        metrics.llmLatency.observe(labels, event.latencyMs / 1000);
        metrics.llmTokens.inc({ ...labels, direction: "input" }, event.inputTokens);
        metrics.llmTokens.inc({ ...labels, direction: "output" }, event.outputTokens);
        metrics.llmCost.inc(labels, event.costUsd);
        return;
      case "failure":
        metrics.llmFailures.inc(labels);
        return;
    }
    if (ratio.calls > 0) metrics.llmCacheHitRatio.set(labels, ratio.hits / ratio.calls);
  });
}

const HOLDER = Symbol.for("strop.processMetrics");
type WithMetrics = typeof globalThis & { [HOLDER]?: ProcessMetrics };

/** This process's registry and metrics; the first call creates them and starts counting gateway calls. */
export function processMetrics(): ProcessMetrics {
  const holder = globalThis as WithMetrics;
  if (!holder[HOLDER]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    const metrics = { ...createMetrics(registry), registry };
    countGatewayEvents(metrics);
    holder[HOLDER] = metrics;
  }
  return holder[HOLDER];
}
