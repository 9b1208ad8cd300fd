// Test support for the batches API tests: calling a route handler with a raw body, parsing an events
// stream, the bundled reviews, and the seeded API world.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { findOrCreateDatasetVersion, findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import type { DbProvider } from "@/lib/db/migrate";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { storeFakeServerCredential } from "@/lib/services/testing/credentials";
import * as batch from "./[batch]/route";
import * as batches from "./route";

const root = path.resolve(import.meta.dirname, "../../../../../..");

/** The bundled sentiment reviews: [id, text, label]. */
export function reviews(n: number): { id: string; text: string; label: string }[] {
  const lines = readFileSync(path.join(root, "examples/sentiment/reviews.csv"), "utf8").trim().split("\n");
  return lines
    .slice(1)
    .map((line) => {
      const m = /^([^,]+),("(?:[^"]|"")*"|[^,]*),(\w+)$/.exec(line)!;
      const text = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!;
      return { id: m[1]!, text, label: m[3]! };
    })
    .slice(0, n);
}

export const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface SendOptions {
  as: { bearer: string } | { cookie: string };
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Calls a handler with a raw body (or none), query parameters and headers. */
export async function send(handler: RouteHandler, options: SendOptions): Promise<CallResult> {
  const response = await request(handler, options);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

export function request(handler: RouteHandler, options: SendOptions): Promise<Response> {
  const { method, path: template } = handler.operation;
  const params = { project: "alpha", ...options.params };
  const url = new URL(
    template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name as "project"] ?? "")),
    "http://localhost",
  );
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers = new Headers(options.headers);
  if ("bearer" in options.as) headers.set("authorization", `Bearer ${options.as.bearer}`);
  else headers.set("cookie", options.as.cookie);
  return handler(new Request(url, { method, headers, body: options.body, signal: options.signal }), {
    params: Promise.resolve(params),
  });
}

/** The events of a text/event-stream body. */
export function parseEvents(text: string): { event: string; id?: string; data: Record<string, unknown> }[] {
  return text
    .split("\n\n")
    .filter((block) => block.split("\n").some((line) => line.startsWith("data:")))
    .map((block) => {
      const field = (name: string) =>
        block
          .split("\n")
          .filter((line) => line.startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).trimStart());
      return {
        event: field("event")[0] ?? "message",
        ...(field("id").length ? { id: field("id")[0] } : {}),
        data: JSON.parse(field("data").join("\n")),
      };
    });
}

export const FINISHED = ["succeeded", "failed", "cancelled"];

/**
 * The API world of `provider` with a slow fake OpenAI state.server (its credential stored in project "alpha"),
 * the task "sentiment" (two prompt versions) and a dataset version of the bundled reviews.
 */
export function registerBatchesApiWorld(provider: DbProvider) {
  const state = {
    w: undefined as unknown as ApiWorld,
    editor: { bearer: "" },
    viewer: { bearer: "" },
    server: undefined as unknown as FakeServer,
    datasetVersionId: "",
  };
  const ROWS = 30;
  const sample = reviews(ROWS);

  /**
   * A slow model over real HTTP (the fake OpenAI state.server answering with the simulator), reached through
   * the project's default OpenAI-compatible credential.
   */
  const slowModel = { id: "openai-compatible:sim-default", concurrency: 1 };

  const get = (id: string) => send(batch.GET, { as: state.viewer, params: { batch: id } });

  async function settled(id: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await get(id);
      expect(res.status, res.text).toBe(200);
      if (FINISHED.includes(res.json.status)) return res.json;
      if (Date.now() > deadline) throw new Error(`batch ${id} still ${res.json.status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const counts = async () => ({
    batches: await state.w.db.batchJob.count(),
    rows: await state.w.db.batchRow.count(),
    issues: await state.w.db.batchIssue.count(),
  });

  const startJson = (body: Record<string, unknown>, as = state.editor) =>
    send(batches.POST, {
      as,
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });

  const upload = (body: string, query: Record<string, string>, contentType = "text/csv") =>
    send(batches.POST, {
      as: state.editor,
      query: { task: "sentiment", model: "sim:default", ...query },
      body,
      headers: { "content-type": contentType },
    });

  beforeAll(async () => {
    state.server = await startFakeOpenAIServer({ latencyMs: 60 });
    state.w = await createApiWorld(provider);
    await storeFakeServerCredential(state.w.db, state.w.projects.alpha.id, state.server.baseURL);
    state.editor = { bearer: state.w.keys.alphaEditor };
    state.viewer = { bearer: state.w.keys.alphaViewer };
    const task = await upsertTask(state.w.db, state.w.projects.alpha.id, {
      name: "sentiment",
      description: "Classify reviews",
    });
    const prompt = (extra: string) => ({
      systemPrompt: "You are a helpful assistant.",
      outputPrompt: `Classify the sentiment of this review as positive, negative or neutral.${extra}\n\nReview: {{text}}`,
      demos: [],
      params: {},
    });
    await findOrCreatePromptVersion(state.w.db, task.id, prompt(""), { source: "manual" });
    await findOrCreatePromptVersion(state.w.db, task.id, prompt(" Answer with only the label."), {
      source: "manual",
    });
    const { datasetVersion } = await findOrCreateDatasetVersion(state.w.db, state.w.projects.alpha.id, {
      name: "reviews",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["id", "text", "label"],
      contentHash: `reviews-${ROWS}`,
      examples: sample.map((r, i) => ({
        key: r.id,
        rowNumber: i + 1,
        input: { text: r.text },
        expected: r.label,
      })),
    });
    state.datasetVersionId = datasetVersion.id;
  });

  afterAll(async () => {
    // Let every batch finish before the database goes away.
    if (state.w) {
      const deadline = Date.now() + 60_000;
      while (
        (await state.w.db.batchJob.count({ where: { status: { in: ["queued", "running"] } } })) > 0 &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await state.w?.close();
    await state.server?.close();
  });
  return { state, ROWS, sample, slowModel, get, settled, counts, startJson, upload };
}
