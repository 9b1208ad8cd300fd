// Executing batches on SQLite and PostgreSQL: the gateway's retries and latency recorded, a failing
// provider failing rows rather than the batch, resuming without paying twice for a finished row,
// cancelling a running batch.
import { describe, expect, it } from "vitest";
import { ConflictError } from "@/lib/core/errors";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { executeBatch, rowStateSteps } from "../batch-execution";
import { resumeUnfinishedBatches } from "../jobs";
import {
  actor,
  csv,
  failure,
  model,
  registerBatchWorld,
  registerFakeBatchServer,
  settled,
  until,
  upload,
  userText,
} from "../testing/batch-world";
import { cancelBatch, createBatch, getBatch, pageBatchRows } from "./index";

const fake = registerFakeBatchServer();

describe.each(TEST_PROVIDERS)("executing batches on %s", (provider) => {
  const w = registerBatchWorld(provider, fake);

  it("counts the gateway's retries and stores the latency percentiles of the calls when it finishes", async () => {
    fake.wobbled.clear();
    const created = await w.create(w.spec({ model: model("wobbly") }), upload(csv(12)));
    await settled(created.id);
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 12, failedRows: 0 });
    expect(fake.wobbled.size).toBeGreaterThan(0);
    expect(batch.retries).toBe(fake.wobbled.size);
    const rows = await w.db.batchRow.findMany({
      where: { batchId: created.id },
      select: { latencyMs: true },
    });
    const latencies = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
    expect(batch.latency).toEqual({
      count: 12,
      p50: latencies[5],
      p95: latencies[11],
      p99: latencies[11],
      max: latencies[11],
    });
  });

  it("a failing provider fails rows (error recorded), not the batch", async () => {
    const created = await w.create(w.spec({ model: model("down") }), upload(csv(9)));
    await settled(created.id);
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 9, failedRows: 9, error: null });
    const failed = await pageBatchRows(w.db, w.access, created.id, { view: "failed", limit: 50 });
    expect(failed.items).toHaveLength(9);
    expect(failed.items[0]).toMatchObject({ status: "failed", output: null });
    expect(failed.items[0]?.error).toContain("model is down");
    expect((await pageBatchRows(w.db, w.access, created.id, { view: "done", limit: 50 })).items).toEqual([]);
  });

  it("an interrupted batch resumes with the rows not done yet: no finished row is requested again", async () => {
    const created = await createBatch(
      w.db,
      w.access,
      w.spec({ chunkSize: 5, model: model("slow", { concurrency: 2 }) }),
      upload(csv(40)),
      actor,
      {
        dispatch: async () => {},
        env: {},
      },
    );
    const before = fake.chatRequests().length;
    const controller = new AbortController();
    let done = 0;
    const first = await executeBatch(w.db, created.id, rowStateSteps(), controller.signal, {
      progress: (p) => {
        done = p.doneHere;
        if (done >= 12) controller.abort(new Error("shutting down"));
      },
    });
    expect(first.status).toBe("interrupted");
    // Requests cut short by the abort may still be arriving at the server.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterFirst = fake.chatRequests().length;
    const doneRows = (await pageBatchRows(w.db, w.access, created.id, { view: "done", limit: 100 })).items;
    expect(doneRows.length).toBeGreaterThanOrEqual(12);
    expect((await getBatch(w.db, w.access, created.id)).status).toBe("running");

    // The app restarting resumes it (origin "api").
    const resumed = await resumeUnfinishedBatches(w.db, { runner: "embedded" });
    expect(resumed.resumed).toContain(created.id);
    await settled(created.id);
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch).toMatchObject({ status: "succeeded", doneRows: 40, failedRows: 0, calls: 40 });
    const again = new Set(fake.chatRequests().slice(afterFirst).map(userText));
    const finished = doneRows.map((r) => `Review: ${r.input.text} (${r.input.lang})`);
    expect(finished.filter((t) => again.has(t))).toEqual([]);
    // Every row was requested; only rows cut short by the interruption were requested twice.
    const all = fake.chatRequests().slice(before).map(userText);
    expect(new Set(all).size).toBe(40);
    expect(all.length - 40).toBeLessThanOrEqual(afterFirst - before - doneRows.length);
  });

  it("cancel stops a running batch before its next chunk and aborts calls in flight; finished rows stay", async () => {
    const created = await w.create(
      w.spec({ chunkSize: 4, model: model("slow", { concurrency: 2 }) }),
      upload(csv(60)),
    );
    await until(async () => (await getBatch(w.db, w.access, created.id)).doneRows >= 8);
    expect(await cancelBatch(w.db, w.access, created.id, actor, { runner: "embedded" })).toEqual({
      id: created.id,
      status: "cancelled",
    });
    await settled(created.id);
    // Calls in flight at the cancel were aborted; give the last of them time to arrive, then nothing more.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const atEnd = fake.chatRequests().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.chatRequests().length).toBe(atEnd);
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch.status).toBe("cancelled");
    expect(batch.doneRows).toBeGreaterThanOrEqual(8);
    expect(batch.doneRows).toBeLessThan(60);
    const rows = await pageBatchRows(w.db, w.access, created.id, { view: "done", limit: 100 });
    expect(rows.items).toHaveLength(batch.doneRows);
    expect((await pageBatchRows(w.db, w.access, created.id, { view: "failed", limit: 100 })).items).toEqual(
      [],
    );
    // Again: a no-op. A finished batch: 409.
    expect((await cancelBatch(w.db, w.access, created.id, actor, { runner: "embedded" })).status).toBe(
      "cancelled",
    );
    const finished = await w.create(w.spec(), upload(csv(2)));
    await settled(finished.id);
    expect(
      await failure(cancelBatch(w.db, w.access, finished.id, actor, { runner: "embedded" })),
    ).toBeInstanceOf(ConflictError);
    expect(await w.db.auditLog.count({ where: { action: "batch.cancelled", targetId: created.id } })).toBe(1);
  });
});
