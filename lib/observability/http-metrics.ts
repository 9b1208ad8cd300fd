// Request rate and latency of the API, per operation: defineRoute wraps every handler with this. The
// route label is the operation's OpenAPI path template ("/api/v1/projects/{project}/runs"), never the
// URL, so the number of series stays bounded whatever clients send.
import { processMetrics } from "./registry";

type Handler<C> = (request: Request, context?: C) => Promise<Response>;

/** "2xx", "4xx", "5xx". */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function observeHttpRequests<C>(operation: { method: string; path: string }, handle: Handler<C>) {
  // Created with the route module: the gateway's calls are counted from the first route loaded.
  const { httpRequests, httpDuration } = processMetrics();
  return async (request: Request, context?: C): Promise<Response> => {
    const started = performance.now();
    let status = 500;
    try {
      const response = await handle(request, context);
      status = response.status;
      return response;
    } finally {
      const labels = { route: operation.path, method: operation.method, status_class: statusClass(status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}
