// GET /api/metrics end to end: real gateway calls over HTTP to the loopback fake provider (some answered
// with 500s, so the gateway retries; one always failing), one cache hit, a queued run, one API request
// through defineRoute, then the endpoint's text read with a Prometheus text-format parser: the provider
// counters equal what the fake server counted, and the route's HTTP counter moved. Off without a token,
// 401 without or with a wrong one.
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getMetrics } from "@/app/api/metrics/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { closeDb, ensureProject, getDb } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { runFixture } from "@/lib/db/testing/repository-fixtures";
import { createLlm } from "@/lib/llm/gateway";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { bearerMatches } from ".";

const TOKEN = "metrics-test-token-0123456789";
const MODEL = "metrics-fake";
const saved = { url: process.env.DATABASE_URL, token: process.env.STROP_METRICS_TOKEN };
let database: TestDatabase;
let server: FakeServer;
/** Prompts answered with a 500 on their first attempt (the retry succeeds). */
const flakySeen = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  await migrate(database.url);
  process.env.DATABASE_URL = database.url;
  server = await startFakeOpenAIServer({
    respond(call) {
      const prompt = call.kind === "chat" ? String(call.messages.at(-1)?.content) : "";
      if (prompt.startsWith("broken")) return { status: 500 };
      if (prompt.startsWith("flaky") && !flakySeen.has(prompt)) {
        flakySeen.add(prompt);
        return { status: 500 };
      }
      return { content: `ok:${prompt}`, usage: { promptTokens: 11, completionTokens: 3 } };
    },
  });
});

afterAll(async () => {
  await server.close();
  await closeDb();
  await database.drop();
  for (const [name, value] of [
    ["DATABASE_URL", saved.url],
    ["STROP_METRICS_TOKEN", saved.token],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const scrape = (authorization?: string) =>
  getMetrics(
    new Request("http://localhost/api/metrics", {
      headers: authorization ? { authorization } : {},
    }),
  );

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
}

/**
 * Observations of a labelled histogram series, from its `_count` line: the parser folds a histogram's
 * series into one (it was written for unlabelled ones), so its buckets cannot be told apart.
 */
function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    const match = new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`).exec(line);
    if (!match) continue;
    const found = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[2]);
  }
  return 0;
}

/** The value of the sample of `name` whose labels include `labels` (0 when there is none). */
function value(families: ParsedFamily[], name: string, labels: Record<string, string>): number {
  const sample = family(families, name).metrics.find((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
  );
  return sample ? Number(sample.value) : 0;
}

describe("GET /api/metrics", () => {
  it("is off (404) while STROP_METRICS_TOKEN is unset", async () => {
    delete process.env.STROP_METRICS_TOKEN;
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("answers 401 without the bearer token or with another one", async () => {
    process.env.STROP_METRICS_TOKEN = TOKEN;
    for (const header of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`, TOKEN]) {
      const response = await scrape(header);
      expect(response.status, String(header)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(null, "")).toBe(false);
  });

  it("counts what the provider saw: requests, retries, failures, tokens, cost, cache hits, latency", async () => {
    process.env.STROP_METRICS_TOKEN = TOKEN;
    const model = `openai-compatible:${MODEL}`;
    const llm = createLlm({
      env: {},
      models: { [model]: { baseURL: server.baseURL, maxRetries: 2, price: { input: 1, output: 2 } } },
      cache: { store: "memory" },
      retry: { sleep: async () => {} },
    });
    const ask = (content: string) => llm.generate({ model, messages: [{ role: "user", content }] });
    const results = await Promise.allSettled([
      ask("plain 1"),
      ask("plain 2"),
      ask("flaky 1"),
      ask("flaky 2"),
      ask("broken 1"),
    ]);
    await ask("plain 1"); // a cache hit: never reaches the provider
    await llm.close();
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
    ]);
    // A queued run in the database: the job gauges read it at scrape time.
    const db = await getDb();
    await runFixture(db, (await ensureProject(db, "metrics")).id, "queued-task");
    // An API request through defineRoute (401: no session), counted under its path template.
    expect((await getMe(new Request("http://localhost/api/v1/me"))).status).toBe(401);

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const families = parsePrometheusTextFormat(text);
    const labels = { provider: "openai-compatible", model: MODEL };
    const seen = server.stats().arrivals.filter(([, , name]) => name === MODEL);
    const answered = seen.filter(([, outcome]) => outcome === 200).length;
    expect(seen.length).toBe(4 + 2 + 3); // 4 first attempts + 2 flaky retries + broken's 3 attempts
    expect(value(families, "strop_llm_requests_total", labels)).toBe(seen.length);
    expect(value(families, "strop_llm_retries_total", labels)).toBe(seen.length - 5);
    expect(value(families, "strop_llm_calls_total", labels)).toBe(6);
    expect(value(families, "strop_llm_cache_hits_total", labels)).toBe(1);
    expect(value(families, "strop_llm_cache_hit_ratio", labels)).toBeCloseTo(1 / 6, 6);
    expect(value(families, "strop_llm_failures_total", labels)).toBe(1);
    expect(value(families, "strop_llm_tokens_total", { ...labels, direction: "input" })).toBe(11 * answered);
    expect(value(families, "strop_llm_tokens_total", { ...labels, direction: "output" })).toBe(3 * answered);
    expect(value(families, "strop_llm_cost_usd_total", labels)).toBeCloseTo(
      (answered * (11 + 3 * 2)) / 1e6,
      12,
    );
    const latency = family(families, "strop_llm_latency_seconds");
    expect(latency.type).toBe("HISTOGRAM");
    expect(histogramCount(text, "strop_llm_latency_seconds", labels)).toBe(answered);

    const route = { route: "/api/v1/me", method: "GET", status_class: "4xx" };
    expect(value(families, "strop_http_requests_total", route)).toBe(1);
    expect(family(families, "strop_http_request_duration_seconds").type).toBe("HISTOGRAM");
    expect(histogramCount(text, "strop_http_request_duration_seconds", route)).toBe(1);
    // Job gauges come from the database (every status present, zeros included), the queue from the
    // embedded runner of this process.
    expect(value(families, "strop_jobs", { kind: "optimization-run", status: "queued" })).toBe(1);
    expect(value(families, "strop_jobs", { kind: "optimization-run", status: "running" })).toBe(0);
    expect(family(families, "strop_jobs").metrics).toHaveLength(10);
    expect(family(families, "strop_runner_queue_depth").metrics).toHaveLength(2);
    expect(family(families, "strop_process_cpu_seconds_total").type).toBe("COUNTER");
    // No raw URL ever becomes a label.
    const routes = family(families, "strop_http_requests_total").metrics.map((m) => m.labels?.route);
    expect(routes.every((r) => r?.startsWith("/api/v1/"))).toBe(true);
  });
});
