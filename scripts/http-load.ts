// A small keep-alive HTTP load generator for `npm run bench` (autocannon is not installed): `connections`
// workers, each with its own kept-alive socket, send requests back to back for `durationMs` after a
// warm-up; latency is measured per request from send to the end of the body. GET by default; `next`
// varies each request (its path, headers or a POST body).
import { readFileSync } from "node:fs";
import http from "node:http";

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  /** The status every answer must have (default 200); others count as errors. */
  expectStatus?: number;
  /** The n-th request (from 0, warm-up included): a path (with query) replacing the URL's, more headers, a JSON body (POST). */
  next?: (n: number) => { path?: string; headers?: Record<string, string>; body?: string };
  /** The server's process id: its CPU time over the measured window is reported per request (Linux). */
  serverPid?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** The unexpected answers by status (0: no answer). */
  errorStatuses: Record<number, number>;
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Every latency, ms (to merge rounds). */
  latencies: number[];
  /** The server's CPU time (all its threads) over the measured window, ms; NaN without `serverPid`. */
  serverCpuMs: number;
}

/** A process's CPU time so far (user + system, all threads), ms; NaN where /proc is not there. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields 14 and 15 (utime, stime) after the parenthesised command name, in clock ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function send(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
  path?: string,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: body === undefined ? "GET" : "POST",
        headers:
          body === undefined
            ? headers
            : {
                ...headers,
                "content-type": "application/json",
                "content-length": String(Buffer.byteLength(body)),
              },
        ...(path ? { path } : {}),
      },
      (response) => {
        response.on("data", () => {});
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** Runs the load and reports what was measured after the warm-up. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const headers = options.headers ?? {};
  const expected = options.expectStatus ?? 200;
  const warmupEnds = performance.now() + (options.warmupMs ?? 0);
  const ends = warmupEnds + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  const errorStatuses: Record<number, number> = {};
  let sent = 0;
  let cpuAtWarmupEnd = Number.NaN;
  const cpuTimer = setTimeout(
    () => {
      cpuAtWarmupEnd = processCpuMs(options.serverPid);
    },
    Math.max(0, warmupEnds - performance.now()),
  );
  const worker = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= ends) return;
      const varied = options.next?.(sent++);
      let status = 0;
      try {
        const all = varied?.headers ? { ...headers, ...varied.headers } : headers;
        status = await send(agent, url, all, varied?.path, varied?.body);
      } catch {
        status = 0;
      }
      const finished = performance.now();
      if (started < warmupEnds) continue;
      if (status === expected) latencies.push(finished - started);
      else {
        errors++;
        errorStatuses[status] = (errorStatuses[status] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  clearTimeout(cpuTimer);
  const serverCpuMs = processCpuMs(options.serverPid) - cpuAtWarmupEnd;
  agent.destroy();
  // From the end of the warm-up to the last answer (requests sent during the warm-up are not counted).
  const seconds = (performance.now() - warmupEnds) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    errorStatuses,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    latencies,
    serverCpuMs,
  };
}
