// Test support for the Runs API tests: calling a route handler with headers and an abort signal, parsing
// a text/event-stream body, scored examples, and the seeded API world.
import { afterAll, beforeAll } from "vitest";
import type { ScoredExample } from "@/lib/core/types";
import type { DbProvider } from "@/lib/db/migrate";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import { embeddedRunner } from "@/lib/runner";
import { intentRunSpec, type SeededTask, seedIntentTask } from "@/lib/services/testing/run-fixtures";

export interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** Parses a text/event-stream body into its events (comments and `retry:` lines skipped). */
export function parseSse(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  for (const block of text.split("\n\n")) {
    let event = "message";
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0) out.push({ event, id, data: JSON.parse(data.join("\n")) });
  }
  return out;
}

/** Calls a handler with repeated-free query parameters, extra headers and an optional abort signal. */
export async function request(
  handler: RouteHandler,
  options: {
    as?: { bearer: string } | { cookie: string };
    params?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: unknown;
    signal?: AbortSignal;
  },
): Promise<Response> {
  const { method, path } = handler.operation;
  const params = { project: "alpha", ...options.params };
  const url = new URL(
    path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(params[name as keyof typeof params] ?? ""),
    ),
    "http://localhost",
  );
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(options.headers);
  if (options.as && "bearer" in options.as) headers.set("authorization", `Bearer ${options.as.bearer}`);
  if (options.as && "cookie" in options.as) headers.set("cookie", options.as.cookie);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  return handler(new Request(url, { method, headers, body, signal: options.signal }), {
    params: Promise.resolve(params),
  });
}

export async function call(
  handler: RouteHandler,
  options: Parameters<typeof request>[1],
): Promise<CallResult> {
  const response = await request(handler, options);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

export const scored = (id: string, score: number, output: string | null = "x"): ScoredExample => ({
  exampleId: id,
  output,
  error: output === null ? "provider failed" : null,
  score,
  metrics: {},
  usage: { inputTokens: 1, outputTokens: 1 },
  costUsd: 0,
  latencyMs: 1,
  cached: false,
});

export const interval = (mean: number) => ({ mean, low: mean, high: mean, n: 3 });

/**
 * The API world of `provider` with the task of lib/services/testing/run-fixtures.ts seeded in project
 * "alpha" (60 rows), its editor and viewer keys, and helpers reading the database.
 */
export function registerRunsApiWorld(provider: DbProvider) {
  const world = {
    w: undefined as unknown as ApiWorld,
    seeded: undefined as unknown as SeededTask,
    editor: { bearer: "" },
    viewer: { bearer: "" },
    counts: async () => ({
      runs: await world.w.db.optimizationRun.count(),
      audit: await world.w.db.auditLog.count(),
    }),
    spec: (overrides: Record<string, unknown> = {}) => ({
      ...intentRunSpec(world.seeded, "sim:default"),
      ...overrides,
    }),
    auditOf: (action: string, targetId: string) =>
      world.w.db.auditLog.findMany({ where: { action, targetId } }),
  };
  beforeAll(async () => {
    world.w = await createApiWorld(provider);
    world.editor = { bearer: world.w.keys.alphaEditor };
    world.viewer = { bearer: world.w.keys.alphaViewer };
    world.seeded = await seedIntentTask(world.w.db, { rows: 60, project: "alpha" });
  }, 60_000);
  afterAll(async () => {
    await embeddedRunner().idle();
    await world.w?.close();
  });
  return world;
}
