// A run through the Runs API, end to end, on both databases: started over HTTP, followed live over
// Server-Sent Events (iterations once, Last-Event-ID resumes, `end` closes), read, its per-example results
// page by page and filtered, downloads, saving its winner once, audit entries. Runs execute in this
// process (embedded runner) on the offline `sim` model.
import { beforeAll, describe, expect, it } from "vitest";
import { CsvParser } from "@/lib/core/csv";
import { createRun, finishRun, getRun, listExamples } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { ApiWorld } from "@/lib/http/testing";
import { embeddedRunner } from "@/lib/runner";
import type { RunResultItem } from "@/lib/services/runs/results";
import type { SeededTask } from "@/lib/services/testing/run-fixtures";
import type { OptimizationRunReport } from "@/lib/validation/run-state";
import { storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import * as cancel from "./[run]/cancel/route";
import * as events from "./[run]/events/route";
import * as download from "./[run]/results/download/route";
import * as results from "./[run]/results/route";
import * as runRoute from "./[run]/route";
import * as winner from "./[run]/winner/route";
import * as runs from "./route";
import { call, parseSse, registerRunsApiWorld, type SseEvent } from "./testing";

describe.each(TEST_PROVIDERS)("runs API end to end on %s", (provider) => {
  const world = registerRunsApiWorld(provider);
  const { counts, spec, auditOf } = world;
  let w: ApiWorld;
  let seeded: SeededTask;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  beforeAll(() => {
    ({ w, seeded, editor, viewer } = world);
  });

  describe("a run through the API, end to end", () => {
    let runId: string;
    let live: SseEvent[];
    let report: OptimizationRunReport;
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
      const stored = (await getRun(w.db, runId))?.report;
      if (stored?.kind !== "optimize") throw new Error(`run ${runId} has no optimization report`);
      report = stored;
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
      expect(res.json).toEqual({ id: expect.any(String), version: 2, label: null });
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
        config: storedRunConfig(),
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
});
