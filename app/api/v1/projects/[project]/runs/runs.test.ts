// The Runs API over HTTP on both databases: starting a run checks everything first (nothing queued on bad
// input), cancelling (audited), runs stored without a winner (an evaluation; an optimization whose
// baseline stayed best), and the event stream's connection. A run end to end: end-to-end.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import {
  createRun,
  findOrCreateDatasetVersion,
  finishRun,
  listExamples,
  upsertExampleResults,
} from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { sseResponse } from "@/lib/http/sse";
import type { ApiWorld } from "@/lib/http/testing";
import { pollRunEvents } from "@/lib/services/run-events";
import type { RunResultItem } from "@/lib/services/runs/results";
import type { SeededTask } from "@/lib/services/testing/run-fixtures";
import {
  evaluationReport,
  optimizationReport,
  storedRunConfig,
} from "@/lib/validation/testing/stored-fixtures";
import * as cancel from "./[run]/cancel/route";
import * as events from "./[run]/events/route";
import * as results from "./[run]/results/route";
import * as runRoute from "./[run]/route";
import * as winner from "./[run]/winner/route";
import * as runs from "./route";
import { call, interval, parseSse, registerRunsApiWorld, request, scored } from "./testing";

describe.each(TEST_PROVIDERS)("runs API on %s", (provider) => {
  const world = registerRunsApiWorld(provider);
  const { counts, spec, auditOf } = world;
  let w: ApiWorld;
  let seeded: SeededTask;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  beforeAll(() => {
    ({ w, seeded, editor, viewer } = world);
  });

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

    it("names every bad reference at once: task, model configuration and metric", async () => {
      const before = await counts();
      const res = await call(runs.POST, {
        as: editor,
        body: spec({
          task: "nope",
          models: { task: "fast", optimizer: "sim:default" },
          metrics: ["exact_match", "no-such-metric"],
        }),
      });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual([
        "task",
        "models.task",
        "metrics.1",
      ]);
      expect(res.json.error.message).toContain('no metric configuration named "no-such-metric"');
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

  describe("cancel", () => {
    it("cancels a queued run (200, audited); again is 200; its events end with cancelled", async () => {
      const run = await createRun(w.db, {
        projectId: seeded.projectId,
        taskId: seeded.taskId,
        kind: "optimize",
        baselineVersionId: (await w.db.promptVersion.findFirstOrThrow({ where: { taskId: seeded.taskId } }))
          .id,
        datasetVersionId: seeded.datasetVersionId,
        config: storedRunConfig(),
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
            config: storedRunConfig(),
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
        report: evaluationReport({ score: interval(0.5) }),
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
        report: optimizationReport({
          bestOrigin: null,
          test: { baseline: interval(0.5), best: interval(0.5), gain: interval(0), complete: true },
        }),
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
        config: storedRunConfig(),
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
