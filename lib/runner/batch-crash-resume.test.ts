// A batch survives a crash: a worker process (doing what the app does at start) runs a stored batch
// against the loopback fake OpenAI server and is killed with SIGKILL after some chunks finished; a new
// worker resumes it. No row of a chunk finished before the kill is requested again, every other row is
// requested exactly once more, and the results are complete. Also: a cancel from another process stops a
// batch executing in a worker.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type Db,
  ensureProject,
  findOrCreatePromptVersion,
  getBatchRecord,
  getProjectBySlug,
  iterateBatchRows,
  openDb,
  upsertTask,
} from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { cancelBatch, createBatch } from "@/lib/services/batches";
import { counts, startupResume, startWorker as startWorkerProcess, until } from "./testing/crash-helpers";

let server: FakeServer;
const opened: Db[] = [];
const children: ChildProcess[] = [];
const ROWS = 300;
const CHUNK = 20;

beforeAll(async () => {
  // A little latency per call, so that the batch takes a few seconds and the kill lands mid-way.
  server = await startFakeOpenAIServer({
    latencyMs: 15,
    respond: (call) => ({ content: `out:${call.messages.at(-1)?.content ?? ""}` }),
  });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await server.close();
  await Promise.all(opened.map((db) => db.$disconnect()));
});

/** A database holding task "echo" (prompt `Item: {{text}}`) and a queued batch of ROWS rows over it. */
async function queuedBatch() {
  const url = `file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-batch-crash-")), "strop.db")}`;
  const db = await openDb(url);
  opened.push(db);
  await ensureProject(db);
  const project = (await getProjectBySlug(db, "default"))!;
  const task = await upsertTask(db, project.id, { name: "echo", description: "" });
  await findOrCreatePromptVersion(
    db,
    task.id,
    { systemPrompt: "", outputPrompt: "Item: {{text}}", demos: [], params: {} },
    { source: "manual" },
  );
  const access: ProjectAccess = {
    principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
    project,
    role: "editor",
  };
  const text = `text\n${Array.from({ length: ROWS }, (_, i) => `row ${i + 1}`).join("\n")}\n`;
  const bytes = new TextEncoder().encode(text);
  const { id } = await createBatch(
    db,
    access,
    {
      task: "echo",
      // The worker reaches the fake server through the operator's OPENAI_COMPATIBLE_BASE_URL.
      model: { id: "openai-compatible:echo", concurrency: 4 },
      chunkSize: CHUNK,
      cache: { enabled: false, ttlSeconds: 60 },
    },
    {
      body: new Response(bytes).body,
      contentType: "text/csv",
      contentLength: String(bytes.length),
      filename: "rows.csv",
    },
    undefined,
    // Stored and queued; the worker picks it up as the app would at start.
    { dispatch: async () => {}, env: {} },
  );
  return { db, url, id, access };
}

const requestTexts = (from: number) =>
  server.requests
    .slice(from)
    .filter((r) => r.path === "/v1/chat/completions")
    .map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? "");

async function doneRowNumbers(db: Db, batchId: string): Promise<number[]> {
  const done: number[] = [];
  for await (const row of iterateBatchRows(db, batchId))
    if (row.status !== "pending") done.push(row.rowNumber);
  return done;
}

const startWorker = (url: string) =>
  startWorkerProcess(url, { OPENAI_COMPATIBLE_BASE_URL: server.baseURL }, children);

describe("batch crash and resume (embedded runner, SIGKILL)", () => {
  it("a killed batch resumes without requesting the rows of its finished chunks again", async () => {
    const { db, url, id } = await queuedBatch();
    expect((await getBatchRecord(db, id))?.status).toBe("queued");

    const first = startWorker(url);
    await until(async () => ((await getBatchRecord(db, id))?.doneRows ?? 0) >= 3 * CHUNK);
    first.child.kill("SIGKILL");
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    // Calls the worker had sent just before it died may still be arriving.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const requestsAtKill = server.requests.length;
    const atKill = await getBatchRecord(db, id);
    expect(atKill?.status).toBe("running");
    const finished = await doneRowNumbers(db, id);
    // Results are written a chunk at a time: what was done is whole chunks, and not all of them.
    expect(finished.length % CHUNK).toBe(0);
    expect(finished).toEqual(Array.from({ length: finished.length }, (_, i) => i + 1));
    expect(finished.length).toBeGreaterThanOrEqual(3 * CHUNK);
    expect(finished.length).toBeLessThan(ROWS);
    expect(atKill?.doneRows).toBe(finished.length);

    const second = startWorker(url);
    const resumed = await second.exited;
    expect(resumed.code, resumed.output).toBe(0);
    // Resumed at start, or (the killed worker's lease still valid) taken over once it expired.
    const atStart = startupResume(resumed.output, "batch");
    expect([...atStart.resumed, ...atStart.heldElsewhere]).toEqual([id]);

    // No row of a finished chunk was requested again; every other row exactly once.
    const afterKill = requestTexts(requestsAtKill);
    const finishedTexts = new Set(finished.map((n) => `Item: row ${n}`));
    expect(afterKill.filter((t) => finishedTexts.has(t))).toEqual([]);
    const pending = Array.from({ length: ROWS }, (_, i) => i + 1)
      .filter((n) => !finished.includes(n))
      .map((n) => `Item: row ${n}`);
    expect(counts(afterKill)).toEqual(counts(pending));

    // Complete results, each row counted once.
    const batch = await getBatchRecord(db, id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: ROWS, failedRows: 0, calls: ROWS });
    let rows = 0;
    for await (const row of iterateBatchRows(db, id)) {
      rows++;
      expect(row).toMatchObject({ status: "done", error: null, output: `out:Item: row ${row.rowNumber}` });
    }
    expect(rows).toBe(ROWS);
  }, 120_000);

  it("a cancel from another process stops a batch executing in a worker within seconds", async () => {
    const { db, url, id, access } = await queuedBatch();
    const worker = startWorker(url);
    await until(async () => ((await getBatchRecord(db, id))?.doneRows ?? 0) >= 2 * CHUNK);
    const cancelledAt = Date.now();
    // This process does not execute the batch: only the cancelled status reaches the worker.
    expect(await cancelBatch(db, access, id, undefined, { runner: "embedded" })).toEqual({
      id,
      status: "cancelled",
    });
    const exit = await worker.exited;
    expect(exit.code, exit.output).toBe(0);
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const requestsAtExit = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.requests.length).toBe(requestsAtExit);
    const batch = await getBatchRecord(db, id);
    expect(batch?.status).toBe("cancelled");
    expect(batch?.doneRows).toBeGreaterThanOrEqual(2 * CHUNK);
    expect(batch?.doneRows).toBeLessThan(ROWS);
    expect((await doneRowNumbers(db, id)).length).toBe(batch?.doneRows);
  }, 120_000);
});
