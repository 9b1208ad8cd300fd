// The Runs API over HTTP on both databases: starting a run (everything checked first: nothing queued on
// bad input), following it live over Server-Sent Events (iterations once, Last-Event-ID resumes, `end`
// closes), reading it, its per-example results page by page and filtered, downloads, saving its winner
// once, cancelling, audit entries and access. Runs execute in this process (embedded runner) on the
// offline `sim` model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvParser } from "@/lib/core/csv";
import type { OptimizationReport } from "@/lib/core/report";
import type { ScoredExample } from "@/lib/core/types";
import {
  createRun,
  findOrCreateDatasetVersion,
  finishRun,
  getRun,
  listExamples,
  upsertExampleResults,
} from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { sseResponse } from "@/lib/http/sse";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import { embeddedRunner } from "@/lib/runner";
import { pollRunEvents } from "@/lib/services/run-events";
import type { RunResultItem } from "@/lib/services/run-results";
import { intentRunSpec, type SeededTask, seedIntentTask } from "@/lib/services/testing/run-fixtures";
import * as cancel from "./[run]/cancel/route";
import * as events from "./[run]/events/route";
import * as download from "./[run]/results/download/route";
import * as results from "./[run]/results/route";
import * as runRoute from "./[run]/route";
import * as winner from "./[run]/winner/route";
import * as runs from "./route";

interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** Parses a text/event-stream body into its events (comments and `retry:` lines skipped). */
function parseSse(text: string): SseEvent[] {
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
async function request(
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

async function call(handler: RouteHandler, options: Parameters<typeof request>[1]): Promise<CallResult> {
  const response = await request(handler, options);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

const scored = (id: string, score: number, output: string | null = "x"): ScoredExample => ({
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

const interval = (mean: number) => ({ mean, low: mean, high: mean, n: 3 });

describe.each(TEST_PROVIDERS)("runs API on %s", (provider) => {
  let w: ApiWorld;
  let seeded: SeededTask;
  let editor: { bearer: string };
  let viewer: { bearer: string };

  beforeAll(async () => {
    w = await createApiWorld(provider);
    editor = { bearer: w.keys.alphaEditor };
    viewer = { bearer: w.keys.alphaViewer };
    seeded = await seedIntentTask(w.db, { rows: 60, project: "alpha" });
  }, 60_000);
  afterAll(async () => {
    await embeddedRunner().idle();
    await w?.close();
  });

  const counts = async () => ({
    runs: await w.db.optimizationRun.count(),
    audit: await w.db.auditLog.count(),
  });
  const spec = (overrides: Record<string, unknown> = {}) => ({
    ...intentRunSpec(seeded, "sim:default"),
    ...overrides,
  });
  const auditOf = (action: string, targetId: string) =>
    w.db.auditLog.findMany({ where: { action, targetId } });

  describe("POST /runs checks the spec first: 4xx naming the field, nothing queued", () => {
    it.each([
      ["an unknown task", { task: "nope" }, "task", 'no task named (or with id) "nope"'],
      [
        "an unknown model configuration",
        { models: { task: "fast", optimizer: "sim:default" } },
        "models.task",
        'no model configuration named "fast"',
      ],
      [
        "a missing credential",
        { models: { task: "sim:default", optimizer: "openai:gpt-4o-mini" } },
        "models.optimizer",
        "OPENAI_API_KEY",
      ],
      ["no metrics", { metrics: [] }, "metrics", "name at least one metric"],
      ["an unknown field", { tempo: 1 }, "", "tempo"],
    ])("%s", async (_, override, field, text) => {
      const saved = process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_API_KEY;
      const before = await counts();
      try {
        const res = await call(runs.POST, { as: editor, body: spec(override) });
        expect(res.status, res.text).toBe(400);
        expect(res.json.error.code).toBe("invalid_input");
        expect(res.json.error.message).toContain(text);
        expect(res.json.error.details.issues).toEqual(
          expect.arrayContaining([expect.objectContaining({ in: "body", path: field })]),
        );
      } finally {
        if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
      }
      expect(await counts()).toEqual(before);
    });

    it("a dataset version whose rows lack a template variable", async () => {
      const { datasetVersion } = await findOrCreateDatasetVersion(w.db, seeded.projectId, {
        name: "wrong-columns.csv",
        sourceName: "wrong-columns.csv",
        expectedColumn: "intent",
        columns: ["text", "intent"],
        contentHash: "wrong-columns",
        examples: [
          { key: "a", rowNumber: 1, input: { text: "charged twice" }, expected: "billing_question" },
        ],
      });
      const before = await counts();
      const res = await call(runs.POST, { as: editor, body: spec({ datasetVersionId: datasetVersion.id }) });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toContain('template variable "ticket" is missing or empty');
      expect(res.json.error.details.issues[0]).toMatchObject({ in: "body", path: "datasetVersionId" });
      expect(await counts()).toEqual(before);
    });

    it("viewers cannot start runs; another project's key does not see the project", async () => {
      const before = await counts();
      expect((await call(runs.POST, { as: viewer, body: spec() })).status).toBe(403);
      expect((await call(runs.POST, { as: { bearer: w.keys.betaAdmin }, body: spec() })).status).toBe(404);
      expect(await counts()).toEqual(before);
    });
  });

  describe("a run through the API, end to end", () => {
    let runId: string;
    let live: SseEvent[];
    let report: OptimizationReport;
    let all: RunResultItem[];

    beforeAll(async () => {
      const res = await call(runs.POST, { as: editor, body: spec() });
      expect(res.status, res.text).toBe(202);
      expect(res.json).toEqual({ id: expect.any(String), status: "queued", runner: "embedded" });
      runId = res.json.id;
      // Follow it live from the start: the body ends with the `end` event.
      const stream = await call(events.GET, { as: viewer, params: { run: runId } });
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toContain("text/event-stream");
      live = parseSse(stream.text);
      await embeddedRunner().idle();
      report = (await getRun(w.db, runId))?.report as OptimizationReport;
    }, 120_000);

    it("the create is audited", async () => {
      const [entry] = await auditOf("run.created", runId);
      expect(entry).toMatchObject({ actorType: "api_key", projectId: seeded.projectId, targetType: "run" });
    });

    it("events: progress first, every finished iteration once (id = index + 1), then end", async () => {
      const run = await getRun(w.db, runId);
      expect(run?.status).toBe("succeeded");
      expect(live[0]).toMatchObject({ event: "progress", id: null });
      const progress = live.filter((e) => e.event === "progress");
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress.at(-1)?.data).toMatchObject({
        status: "succeeded",
        calls: run?.calls,
        progress: { calls: run?.calls },
      });
      const iterations = live.filter((e) => e.event === "iteration");
      expect(iterations.length).toBeGreaterThanOrEqual(2);
      expect(iterations.map((e) => e.id)).toEqual(run?.iterations.map((i) => String(i.index + 1)));
      expect(iterations.length).toBe(report.iterations.length);
      const first = iterations[0]?.data as { index: number; candidates: unknown[] };
      expect(first.candidates.length).toBe(run?.candidates.filter((c) => c.iteration === first.index).length);
      expect(first.candidates[0]).toEqual({
        index: expect.any(Number),
        status: expect.any(String),
        trainScore: expect.anything(),
        validationScore: expect.toBeOneOf([expect.any(Number), null]),
        gainLow: expect.toBeOneOf([expect.any(Number), null]),
        gainHigh: expect.toBeOneOf([expect.any(Number), null]),
        accepted: expect.any(Boolean),
      });
      expect(live.at(-1)).toEqual({
        event: "end",
        id: "end",
        data: { status: "succeeded", error: null, failedStep: null },
      });
      expect(live.filter((e) => e.event === "end")).toHaveLength(1);
    });

    it("reconnecting with Last-Event-ID (header or ?lastEventId=) skips the iterations delivered", async () => {
      const iterations = live.filter((e) => e.event === "iteration");
      const firstId = iterations[0]!.id!;
      for (const options of [
        { headers: { "last-event-id": firstId } },
        { query: { lastEventId: firstId } },
      ]) {
        const res = await call(events.GET, { as: viewer, params: { run: runId }, ...options });
        const again = parseSse(res.text);
        expect(again[0]?.event).toBe("progress");
        expect(again.filter((e) => e.event === "iteration").map((e) => e.id)).toEqual(
          iterations.slice(1).map((e) => e.id),
        );
        expect(again.at(-1)?.event).toBe("end");
      }
      const ended = parseSse(
        (await call(events.GET, { as: viewer, params: { run: runId }, headers: { "last-event-id": "end" } }))
          .text,
      );
      expect(ended).toEqual([live.at(-1)]);
      const bad = await call(events.GET, {
        as: viewer,
        params: { run: runId },
        headers: { "last-event-id": "x" },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toContain("Last-Event-ID");
      const badQuery = await call(events.GET, {
        as: viewer,
        params: { run: runId },
        query: { lastEventId: "x" },
      });
      expect(badQuery.status).toBe(400);
      expect(badQuery.json.error.details.issues[0]).toMatchObject({ in: "query", path: "lastEventId" });
    });

    it("GET /runs/{run}: the detail with runner and an available, unsaved winner", async () => {
      const res = await call(runRoute.GET, { as: viewer, params: { run: runId } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        id: runId,
        status: "succeeded",
        kind: "optimize",
        taskName: "intent",
        runner: "embedded",
        winner: { saved: false, version: null, available: report.bestOrigin !== null },
        score: { kind: "optimize", baseline: report.test.baseline, best: report.test.best },
        references: { baselineVersion: { version: 1 }, bestVersion: { version: 1 }, outputs: [] },
        progress: { calls: report.usage.calls },
      });
      expect(res.json.iterations).toHaveLength(report.iterations.length);
      expect(res.json.candidates.length).toBeGreaterThan(0);
      expect((await call(runRoute.GET, { as: viewer, params: { run: "nope" } })).status).toBe(404);
      expect(
        (await call(runRoute.GET, { as: { bearer: w.keys.betaAdmin }, params: { run: runId } })).status,
      ).toBe(404);
    });

    it("GET /runs: filters by status, kind and task; pages with a cursor; bad enums are 400", async () => {
      const ids = async (query: Record<string, string>) => {
        const res = await call(runs.GET, { as: viewer, query });
        expect(res.status, res.text).toBe(200);
        return (res.json.items as { id: string }[]).map((r) => r.id);
      };
      expect(await ids({ status: "succeeded" })).toContain(runId);
      expect(await ids({ status: "failed" })).not.toContain(runId);
      expect(await ids({ kind: "optimize", task: "intent" })).toContain(runId);
      expect(await ids({ kind: "eval" })).not.toContain(runId);
      expect(await ids({ task: "nope" })).toEqual([]);
      const page = await call(runs.GET, { as: viewer, query: { limit: "1" } });
      expect(page.json.items[0]).toMatchObject({ progress: expect.any(Object), score: expect.any(Object) });
      for (const [name, value] of [
        ["status", "done"],
        ["kind", "tune"],
        ["limit", "0"],
      ]) {
        const bad = await call(runs.GET, { as: viewer, query: { [name!]: value! } });
        expect(bad.status).toBe(400);
        expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: name });
      }
    });

    it("results: every held-out example once, in row order, paired and paged; views partition them", async () => {
      const pages: RunResultItem[][] = [];
      let cursor: string | null = null;
      do {
        const res = await call(results.GET, {
          as: viewer,
          params: { run: runId },
          query: { limit: "7", ...(cursor ? { cursor } : {}) },
        });
        expect(res.status, res.text).toBe(200);
        pages.push(res.json.items);
        cursor = res.json.nextCursor;
      } while (cursor);
      all = pages.flat();
      expect(all.length).toBe(report.splits.test);
      expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
      const rows = all.map((r) => r.rowNumber);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
      expect(new Set(all.map((r) => r.exampleKey)).size).toBe(all.length);
      const examples = new Map((await listExamples(w.db, seeded.datasetVersionId)).map((e) => [e.id, e]));
      for (const item of all) {
        const example = examples.get(item.exampleKey)!;
        expect(item.rowNumber).toBe(example.rowNumber);
        expect(item.input).toEqual(example.input);
        expect(item.expected).toBe(example.expected);
        expect(item.winner).not.toBeNull();
        expect(item.delta).toBeCloseTo(item.winner!.score - item.baseline.score, 10);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(all.map((r) => r.baseline.score))).toBeCloseTo(report.test.baseline.mean, 10);
      expect(mean(all.map((r) => r.winner!.score))).toBeCloseTo(report.test.best.mean, 10);

      const view = async (v: string) =>
        (await call(results.GET, { as: viewer, params: { run: runId }, query: { view: v, limit: "500" } }))
          .json.items as RunResultItem[];
      const [regressed, improved, unchanged] = [
        await view("regressed"),
        await view("improved"),
        await view("unchanged"),
      ];
      expect(regressed.every((r) => r.delta! < 0)).toBe(true);
      expect(improved.every((r) => r.delta! > 0)).toBe(true);
      expect(unchanged.every((r) => r.delta === 0)).toBe(true);
      expect(improved.length).toBeGreaterThan(0);
      expect(regressed.length + improved.length + unchanged.length).toBe(all.length);
    });

    it("results: a bad view, cursor or limit is a 400 naming it", async () => {
      for (const [query, path] of [
        [{ view: "worse" }, "view"],
        [{ cursor: "bm9wZQ" }, "cursor"],
        [{ limit: "501" }, "limit"],
      ] as const) {
        const res = await call(results.GET, { as: viewer, params: { run: runId }, query });
        expect(res.status).toBe(400);
        expect(res.json.error.details.issues[0]).toMatchObject({ in: "query", path });
      }
    });

    it("downloads: JSONL equals the pages; CSV has a header and one row per example", async () => {
      const jsonl = await call(download.GET, {
        as: viewer,
        params: { run: runId },
        query: { format: "jsonl" },
      });
      expect(jsonl.status).toBe(200);
      expect(jsonl.headers.get("content-type")).toContain("application/x-ndjson");
      expect(jsonl.headers.get("content-disposition")).toMatch(
        /attachment; filename="intent-.+-results\.jsonl"/,
      );
      const lines = jsonl.text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines).toEqual(all);

      const csv = await call(download.GET, { as: viewer, params: { run: runId } });
      expect(csv.headers.get("content-type")).toContain("text/csv");
      const parser = new CsvParser();
      const records = [...parser.push(csv.text), ...parser.end()].map((r) => r.fields);
      expect(records[0]).toEqual([
        "row",
        "key",
        "input.ticket",
        "expected",
        "baseline_output",
        "baseline_score",
        "baseline_error",
        "winner_output",
        "winner_score",
        "winner_error",
        "delta",
      ]);
      expect(records.slice(1).map((r) => [r[1], r[2], r[3], Number(r[5]), Number(r[8])])).toEqual(
        all.map((r) => [r.exampleKey, r.input.ticket, r.expected, r.baseline.score, r.winner!.score]),
      );

      const improved = await call(download.GET, {
        as: viewer,
        params: { run: runId },
        query: { format: "jsonl", view: "improved" },
      });
      expect(improved.text.trimEnd().split("\n").length).toBe(all.filter((r) => r.delta! > 0).length);
      const bad = await call(download.GET, { as: viewer, params: { run: runId }, query: { format: "xlsx" } });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: "format" });
    });

    it("saves the winner once as a new prompt version (201), then 409 naming it", async () => {
      expect(report.bestOrigin).not.toBeNull();
      expect((await call(winner.POST, { as: viewer, params: { run: runId } })).status).toBe(403);
      const res = await call(winner.POST, { as: editor, params: { run: runId } });
      expect(res.status, res.text).toBe(201);
      expect(res.json).toEqual({ id: expect.any(String), version: 2 });
      const version = await w.db.promptVersion.findUnique({ where: { id: res.json.id } });
      expect(version).toMatchObject({
        taskId: seeded.taskId,
        source: "optimization",
        runId,
        systemPrompt: report.best.systemPrompt,
        outputPrompt: report.best.outputPrompt,
      });
      expect(version?.note).toContain(`run ${runId}: test`);
      expect((await getRun(w.db, runId))?.bestVersionId).toBe(res.json.id);
      expect(await auditOf("run.winner_saved", runId)).toHaveLength(1);

      const detail = await call(runRoute.GET, { as: viewer, params: { run: runId } });
      expect(detail.json.winner).toEqual({ saved: true, version: 2, available: true });
      expect(detail.json.references.bestVersion).toMatchObject({ id: res.json.id, version: 2 });

      const again = await call(winner.POST, { as: editor, params: { run: runId } });
      expect(again.status).toBe(409);
      expect(again.json.error).toMatchObject({ code: "conflict", details: { version: 2 } });
      expect(again.json.error.message).toContain("already saved as version 2");
      expect(await w.db.promptVersion.count({ where: { runId } })).toBe(1);
      expect(await auditOf("run.winner_saved", runId)).toHaveLength(1);
    });

    it("concurrent saves of a run's winner create one version", async () => {
      const baseline = await w.db.promptVersion.findFirstOrThrow({
        where: { taskId: seeded.taskId, version: 1 },
      });
      const stored = await createRun(w.db, {
        projectId: seeded.projectId,
        taskId: seeded.taskId,
        kind: "optimize",
        baselineVersionId: baseline.id,
        datasetVersionId: seeded.datasetVersionId,
        config: { origin: "api" },
        seed: 1,
      });
      await finishRun(w.db, stored.id, {
        status: "succeeded",
        report: { ...report, best: { ...report.best, systemPrompt: "Concurrent winner." } },
        bestVersionId: baseline.id,
      });
      const statuses = (
        await Promise.all([1, 2, 3].map(() => call(winner.POST, { as: editor, params: { run: stored.id } })))
      )
        .map((r) => r.status)
        .sort();
      expect(statuses).toEqual([201, 409, 409]);
      expect(await w.db.promptVersion.count({ where: { runId: stored.id } })).toBe(1);
      expect(await auditOf("run.winner_saved", stored.id)).toHaveLength(1);
    });

    it("cancelling a finished run is a 409 and changes nothing", async () => {
      const before = await counts();
      const res = await call(cancel.POST, { as: editor, params: { run: runId } });
      expect(res.status).toBe(409);
      expect(res.json.error.message).toContain("already succeeded");
      expect((await getRun(w.db, runId))?.status).toBe("succeeded");
      expect(await counts()).toEqual(before);
    });
  });

  describe("cancel", () => {
    it("cancels a queued run (200, audited); again is 200; its events end with cancelled", async () => {
      const run = await createRun(w.db, {
        projectId: seeded.projectId,
        taskId: seeded.taskId,
        kind: "optimize",
        baselineVersionId: (await w.db.promptVersion.findFirstOrThrow({ where: { taskId: seeded.taskId } }))
          .id,
        datasetVersionId: seeded.datasetVersionId,
        config: { origin: "api" },
        seed: 1,
      });
      expect((await call(cancel.POST, { as: viewer, params: { run: run.id } })).status).toBe(403);
      const res = await call(cancel.POST, { as: editor, params: { run: run.id } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ id: run.id, status: "cancelled" });
      expect(await auditOf("run.cancelled", run.id)).toHaveLength(1);
      expect((await call(cancel.POST, { as: editor, params: { run: run.id } })).json).toEqual({
        id: run.id,
        status: "cancelled",
      });
      expect(await auditOf("run.cancelled", run.id)).toHaveLength(1);
      const stream = parseSse((await call(events.GET, { as: viewer, params: { run: run.id } })).text);
      expect(stream.map((e) => e.event)).toEqual(["progress", "end"]);
      expect(stream[1]?.data).toMatchObject({ status: "cancelled" });
      expect((await call(cancel.POST, { as: editor, params: { run: "nope" } })).status).toBe(404);
    });
  });

  describe("stored runs without a winner", () => {
    let evalRun: string;
    let keptRun: string;
    let keys: string[];

    beforeAll(async () => {
      const baseline = await w.db.promptVersion.findFirstOrThrow({ where: { taskId: seeded.taskId } });
      keys = (await listExamples(w.db, seeded.datasetVersionId)).slice(0, 3).map((e) => e.id);
      const stored = async (kind: "optimize" | "eval") =>
        (
          await createRun(w.db, {
            projectId: seeded.projectId,
            taskId: seeded.taskId,
            kind,
            baselineVersionId: baseline.id,
            datasetVersionId: seeded.datasetVersionId,
            config: { origin: "api" },
            seed: 1,
          })
        ).id;
      evalRun = await stored("eval");
      await upsertExampleResults(w.db, evalRun, "eval/all", "all", [
        scored(keys[0]!, 1),
        scored(keys[1]!, 0, null),
        scored(keys[2]!, 0.5),
      ]);
      await finishRun(w.db, evalRun, {
        status: "succeeded",
        report: { score: interval(0.5) },
        bestVersionId: baseline.id,
      });
      // An optimization whose baseline stayed best: the final test scored the baseline only.
      keptRun = await stored("optimize");
      await upsertExampleResults(w.db, keptRun, "final/test/baseline", "test", [
        scored(keys[0]!, 1),
        scored(keys[1]!, 0),
      ]);
      await finishRun(w.db, keptRun, {
        status: "succeeded",
        report: {
          bestOrigin: null,
          test: { baseline: interval(0.5), best: interval(0.5), gain: interval(0), complete: true },
        },
        bestVersionId: baseline.id,
      });
    });

    it("an evaluation: results without a winner; filtered views are 400; no winner to save", async () => {
      const res = await call(results.GET, { as: viewer, params: { run: evalRun } });
      expect(res.json.items).toEqual(
        keys.map((key, i) =>
          expect.objectContaining({
            exampleKey: key,
            rowNumber: i + 1,
            winner: null,
            delta: null,
            baseline: i === 1 ? { output: null, error: "provider failed", score: 0 } : expect.any(Object),
          }),
        ),
      );
      const bad = await call(results.GET, {
        as: viewer,
        params: { run: evalRun },
        query: { view: "improved" },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details.issues[0]).toMatchObject({ path: "view" });
      const save = await call(winner.POST, { as: editor, params: { run: evalRun } });
      expect(save.status).toBe(409);
      const detail = await call(runRoute.GET, { as: viewer, params: { run: evalRun } });
      expect(detail.json.winner).toEqual({ saved: false, version: null, available: false });
    });

    it("an optimization whose baseline stayed best: the winner's results are the baseline's; 409 on save", async () => {
      const res = await call(results.GET, {
        as: viewer,
        params: { run: keptRun },
        query: { view: "unchanged" },
      });
      expect(res.json.items).toHaveLength(2);
      expect(res.json.items.every((r: RunResultItem) => r.delta === 0)).toBe(true);
      const save = await call(winner.POST, { as: editor, params: { run: keptRun } });
      expect(save.status).toBe(409);
      expect(save.json.error.message).toContain("no winner");
      expect(await w.db.promptVersion.count({ where: { runId: keptRun } })).toBe(0);
    });
  });

  describe("the event stream's connection", () => {
    it("sends heartbeats while a run is queued, and stops when the client disconnects", async () => {
      const run = await createRun(w.db, {
        projectId: seeded.projectId,
        taskId: seeded.taskId,
        kind: "optimize",
        baselineVersionId: (await w.db.promptVersion.findFirstOrThrow({ where: { taskId: seeded.taskId } }))
          .id,
        datasetVersionId: seeded.datasetVersionId,
        config: { origin: "api" },
        seed: 1,
      });
      const disconnect = new AbortController();
      const body = sseResponse(
        new Request("http://localhost/events", { signal: disconnect.signal }),
        (signal) => pollRunEvents(w.db, run.id, signal, { pollMs: 20 }),
        { heartbeatMs: 30 },
      ).body!;
      const reader = body.getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes(": heartbeat")) text += decoder.decode((await reader.read()).value);
      expect(parseSse(text)).toEqual([
        { event: "progress", id: null, data: expect.objectContaining({ status: "queued", progress: null }) },
      ]);
      disconnect.abort();
      // The body ends; nothing more is sent.
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
      }
      // Through the route: a disconnect before anything was read ends the body too.
      const gone = new AbortController();
      const response = await request(events.GET, {
        as: viewer,
        params: { run: run.id },
        signal: gone.signal,
      });
      gone.abort();
      const rest = await response.text();
      expect(parseSse(rest).every((e) => e.event === "progress")).toBe(true);
      await w.db.optimizationRun.update({ where: { id: run.id }, data: { status: "cancelled" } });
    });
  });
});
