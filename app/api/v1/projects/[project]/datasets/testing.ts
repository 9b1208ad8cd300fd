// Test support for the datasets API tests: calling a route handler with a raw or streamed body, CSV rows,
// and the API world.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { csvLine } from "@/lib/core/csv";
import type { DbProvider } from "@/lib/db/migrate";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import * as preview from "./[dataset]/versions/[version]/examples/route";
import * as datasets from "./route";

export type Body = string | ReadableStream<Uint8Array>;

export interface SendOptions {
  as?: { bearer: string } | { cookie: string };
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: Body;
  headers?: Record<string, string>;
}

/** Calls a handler with a raw (possibly streamed) body and repeated query parameters. */
export async function send(handler: RouteHandler, options: SendOptions): Promise<CallResult> {
  const { method, path } = handler.operation;
  const params = { project: "alpha", ...options.params };
  const url = new URL(
    path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(params[name as keyof typeof params] ?? ""),
    ),
    "http://localhost",
  );
  for (const [key, value] of Object.entries(options.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  const headers = new Headers(options.headers);
  if (options.as && "bearer" in options.as) headers.set("authorization", `Bearer ${options.as.bearer}`);
  if (options.as && "cookie" in options.as) headers.set("cookie", options.as.cookie);
  const init: RequestInit & { duplex?: "half" } = { method, headers, body: options.body };
  if (options.body instanceof ReadableStream) init.duplex = "half";
  const response = await handler(new Request(url, init), { params: Promise.resolve(params) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

/** A body streamed in `chunks` pieces of `size` bytes, without a Content-Length. */
export function stream(chunks: number, size: number, onPull?: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  const piece = new TextEncoder().encode(`${"x".repeat(size - 1)}\n`);
  return new ReadableStream({
    pull(controller) {
      onPull?.();
      if (sent++ < chunks) controller.enqueue(piece);
      else controller.close();
    },
  });
}

export const csv = (rows: string[][]) => rows.map(csvLine).join("");

export function rows(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `q${i + 1}`,
    `Question ${i + 1}, with "quotes"`,
    i % 3 === 0 ? "yes" : "no",
    `note ${i + 1}`,
  ]);
}

export const HEADER = ["id", "question", "label", "notes"];

/** The API world of `provider` (projects alpha and beta), its state.editor and state.viewer keys, and helpers. */
export function registerDatasetsApiWorld(provider: DbProvider) {
  const state = {
    w: undefined as unknown as ApiWorld,
    editor: { bearer: "" },
    viewer: { bearer: "" },
  };

  beforeAll(async () => {
    state.w = await createApiWorld(provider);
    state.editor = { bearer: state.w.keys.alphaEditor };
    state.viewer = { bearer: state.w.keys.alphaViewer };
  });
  afterAll(async () => {
    await state.w?.close();
  });
  afterEach(() => {
    delete process.env.STROP_MAX_UPLOAD_BYTES;
  });

  const counts = async () => ({
    datasets: await state.w.db.dataset.count(),
    versions: await state.w.db.datasetVersion.count(),
    examples: await state.w.db.example.count(),
  });

  const uploadCsv = (name: string, data: string, extra: Record<string, string | string[]> = {}) =>
    send(datasets.POST, {
      as: state.editor,
      query: { name, filename: `${name}.csv`, expected: "label", inputs: "question", id: "id", ...extra },
      body: data,
      headers: { "content-type": "text/csv" },
    });

  async function pages(name: string, v: number, limit: number) {
    const all: { id: string; rowNumber: number; input: Record<string, string>; expected: string }[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const res = await send(preview.GET, {
        as: state.viewer,
        params: { dataset: name, version: String(v) },
        query: { limit: String(limit), ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(limit);
      all.push(...res.json.items);
      cursor = res.json.nextCursor ?? undefined;
      calls++;
    } while (cursor);
    return { rows: all, calls };
  }
  return { state, counts, uploadCsv, pages };
}
