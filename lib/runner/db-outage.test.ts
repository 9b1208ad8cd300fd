// The app's PostgreSQL connections are cut again and again (pg_terminate_backend on every backend of the
// database, as a failover or a restart of the server does) while a 100-row batch and an optimization run
// execute on the embedded runner, started and followed through the API against the loopback fake
// OpenAI server. Steps and chunks retry the database with backoff: both jobs succeed (or, had the
// database stayed away, resume to success), no row or step is paid for twice, and no API response —
// during the outage or after — carries ORM, driver or SQL text.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as batchResume from "@/app/api/v1/projects/[project]/batches/[batch]/resume/route";
import * as batch from "@/app/api/v1/projects/[project]/batches/[batch]/route";
import * as batchRows from "@/app/api/v1/projects/[project]/batches/[batch]/rows/route";
import * as batches from "@/app/api/v1/projects/[project]/batches/route";
import * as runResume from "@/app/api/v1/projects/[project]/runs/[run]/resume/route";
import * as run from "@/app/api/v1/projects/[project]/runs/[run]/route";
import * as runs from "@/app/api/v1/projects/[project]/runs/route";
import type { OptimizationReport } from "@/lib/core/report";
import {
  findOrCreatePromptVersion,
  getBatchRecord,
  getRun,
  iterateBatchRows,
  retryTransient,
  upsertTask,
} from "@/lib/db";
import { type ApiWorld, type CallResult, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { intentRunSpec, seedIntentTask } from "@/lib/services/testing/run-fixtures";
import { embeddedRunner } from "./index";
import { counts } from "./testing/crash-helpers";

const ORM_TEXT = /prisma|Invalid `|invocation|SELECT |INSERT |UPDATE "|57P0|driverAdapter/i;
const ROWS = 100;

let server: FakeServer;
let w: ApiWorld;
let admin: pg.Client;
const responses: CallResult[] = [];
// The server log: the retries of the jobs ("[strop db] transient database error …") are counted.
const warnings: string[] = [];
const jobRetries = () =>
  warnings.filter((line) => line.startsWith("[strop db] transient database error")).length;

beforeAll(async () => {
  // Latency per call so that each job lasts a few seconds: long enough for many cuts.
  server = await startFakeOpenAIServer({
    latencyMs: 40,
    respond: (call) =>
      call.model === "echo" ? { content: `out:${call.messages.at(-1)?.content ?? ""}` } : undefined,
  });
  process.env.OPENAI_COMPATIBLE_BASE_URL = server.baseURL;
  vi.spyOn(console, "warn").mockImplementation(
    (...args: unknown[]) => void warnings.push(args.map(String).join(" ")),
  );
  w = await createApiWorld("postgresql");
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await embeddedRunner().idle();
  await admin?.end();
  await w?.close();
  await server.close();
  delete process.env.OPENAI_COMPATIBLE_BASE_URL;
});

/** Every request of the test goes through here: what the API answers is checked at the end. */
async function api(...args: Parameters<ApiWorld["call"]>): Promise<CallResult> {
  const res = await w.call(...args);
  responses.push(res);
  return res;
}

/**
 * Ends every other backend of the database every `everyMs` until `stop()`, while `poll` reads the API;
 * returns how many cuts ended at least one backend.
 */
async function outage(poll: () => Promise<unknown>, everyMs = 120) {
  let running = true;
  let cuts = 0;
  const cutting = (async () => {
    while (running) {
      const { rows } = await admin.query(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      if (rows[0].ended > 0) cuts++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  const polling = (async () => {
    while (running) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await Promise.all([cutting, polling]);
      return cuts;
    },
  };
}

const alpha = { project: "alpha" };
const editor = () => ({ bearer: w.keys.alphaEditor });
const viewer = () => ({ bearer: w.keys.alphaViewer });
const modelCalls = (from: number) =>
  server.requests.slice(from).filter((r) => r.path === "/v1/chat/completions");
const lastMessage = (r: { body: unknown }) =>
  (r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? "";

describe("PostgreSQL connections cut again and again during jobs (embedded runner)", () => {
  it("a 100-row batch succeeds with every row requested and recorded exactly once", async () => {
    const task = await upsertTask(w.db, w.projects.alpha.id, { name: "echo", description: "" });
    await findOrCreatePromptVersion(
      w.db,
      task.id,
      { systemPrompt: "", outputPrompt: "Item: {{text}}", demos: [], params: {} },
      { source: "manual" },
    );
    const from = server.requests.length;
    const retriesBefore = jobRetries();
    const started = await api(batches.POST, {
      as: editor(),
      params: alpha,
      query: {
        task: "echo",
        model: "openai-compatible:echo",
        chunkSize: "10",
        filename: "rows.csv",
      },
      rawBody: `text\n${Array.from({ length: ROWS }, (_, i) => `row ${i + 1}`).join("\n")}\n`,
      contentType: "text/csv",
    });
    expect(started.status, started.text).toBe(202);
    const id = started.json.id as string;
    const params = { ...alpha, batch: id };
    // Cut often: the batch's queries are short and most of its time is spent waiting on the model.
    const storm = await outage(async () => {
      await api(batch.GET, { as: viewer(), params });
      await api(batchRows.GET, { as: viewer(), params, query: { view: "failed" } });
    }, 40);
    await embeddedRunner().idle();
    const cuts = await storm.stop();
    expect(cuts).toBeGreaterThanOrEqual(5);
    // The cuts reached the batch's own queries, not only the API's.
    expect(jobRetries() - retriesBefore).toBeGreaterThan(0);

    let stored = await retryTransient(() => getBatchRecord(w.db, id));
    let resumedFrom: string | null = null;
    if (stored?.status === "failed") {
      // The database stayed away longer than the retries: the batch says so plainly and resumes.
      expect(stored.error).toBe("the database was unavailable; resume the batch");
      resumedFrom = stored.failedStep;
      expect((await api(batchResume.POST, { as: editor(), params })).status).toBe(202);
      await embeddedRunner().idle();
      stored = await getBatchRecord(w.db, id);
    }
    expect(stored).toMatchObject({ status: "succeeded", doneRows: ROWS, failedRows: 0, calls: ROWS });
    let rows = 0;
    for await (const row of iterateBatchRows(w.db, id)) {
      rows++;
      expect(row).toMatchObject({ status: "done", error: null, output: `out:Item: row ${row.rowNumber}` });
    }
    expect(rows).toBe(ROWS);
    const requested = counts(modelCalls(from).map(lastMessage));
    const twice = [...requested].filter(([, n]) => n > 1).map(([text]) => text);
    if (resumedFrom === null) expect(twice).toEqual([]);
    else {
      // Only the chunk the outage failed can have paid twice (its results never reached the database).
      const chunk = Number(resumedFrom.replace("chunk-", ""));
      const inChunk = (text: string) =>
        Math.floor((Number(text.replace("Item: row ", "")) - 1) / 10) === chunk;
      expect(twice.filter((text) => !inChunk(text))).toEqual([]);
    }
    expect(requested.size).toBe(ROWS);
  }, 120_000);

  it("an optimization run succeeds without paying for a step twice", async () => {
    const seeded = await seedIntentTask(w.db, { rows: 60, project: "alpha" });
    const from = server.requests.length;
    const retriesBefore = jobRetries();
    const started = await api(runs.POST, {
      as: editor(),
      params: alpha,
      body: intentRunSpec(seeded, "openai-compatible:sim-default"),
    });
    expect(started.status, started.text).toBe(202);
    const params = { ...alpha, run: started.json.id as string };
    const storm = await outage(() => api(run.GET, { as: viewer(), params }));
    await embeddedRunner().idle();
    const cuts = await storm.stop();
    expect(cuts).toBeGreaterThanOrEqual(5);
    expect(jobRetries() - retriesBefore).toBeGreaterThan(0);

    let stored = await retryTransient(() => getRun(w.db, params.run));
    let resumed = false;
    if (stored?.status === "failed") {
      expect(stored.error).toBe("the database was unavailable; resume the run");
      expect((await api(runResume.POST, { as: editor(), params })).status).toBe(202);
      await embeddedRunner().idle();
      stored = await getRun(w.db, params.run);
      resumed = true;
    }
    expect(stored?.status, stored?.error ?? "").toBe("succeeded");
    const report = stored?.report as OptimizationReport;
    // Each step's calls are counted once in the report; the provider saw exactly those.
    if (!resumed) expect(modelCalls(from)).toHaveLength(report.usage.calls);
    else expect(modelCalls(from).length).toBeGreaterThanOrEqual(report.usage.calls);
  }, 180_000);

  it("no API response carried ORM, driver or SQL text; the outage answered 503 at worst", () => {
    expect(responses.length).toBeGreaterThan(20);
    const statuses = new Set(responses.map((r) => r.status));
    expect([...statuses].filter((s) => ![200, 202, 503].includes(s))).toEqual([]);
    expect(responses.filter((r) => ORM_TEXT.test(r.text)).map((r) => r.text.slice(0, 200))).toEqual([]);
    for (const res of responses.filter((r) => r.status === 503)) {
      expect(res.json.error.code).toBe("database_unavailable");
      expect(res.headers.get("retry-after")).toBe("2");
    }
  });
});
