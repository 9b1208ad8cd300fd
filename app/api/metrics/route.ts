// Prometheus metrics (text exposition): request rates and latencies per API route, provider calls,
// retries, failures, tokens, cost and latency per provider and model, cache hits, rate-limit waits, job
// states and queue depth, Node's process metrics. Off (404) unless STROP_METRICS_TOKEN is set; then
// it needs `Authorization: Bearer <token>` (docs/deployment.md).
import { scrapeMetrics } from "@/lib/services/metrics";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

export async function GET(request: Request): Promise<Response> {
  const scrape = await scrapeMetrics(request.headers.get("authorization"));
  switch (scrape.outcome) {
    case "disabled":
      return new Response("Not found\n", { status: 404, headers: NO_STORE });
    case "unauthorized":
      return new Response("A bearer token is required\n", {
        status: 401,
        headers: { ...NO_STORE, "WWW-Authenticate": 'Bearer realm="strop-metrics"' },
      });
    case "metrics":
      return new Response(scrape.body, {
        status: 200,
        headers: { ...NO_STORE, "Content-Type": scrape.contentType },
      });
  }
}
