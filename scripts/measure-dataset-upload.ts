// `npx tsx scripts/measure-dataset-upload.ts [rows]`: uploads a generated dataset (default 100k rows) in
// each format through the service the API route calls, the file streamed in as a request body is (1,000
// rows per chunk, no Content-Length), into a fresh SQLite database; prints the file size, the time and
// the peak heap above the baseline (sampled every 10 ms; garbage included, so it says little without a
// cap). The proof that nothing holds the file is a heap cap smaller than the file:
//
//   node --max-old-space-size=100 --import tsx scripts/measure-dataset-upload.ts 300000
//
// (60-70 MB files, baseline ~25 MB): it passes because the upload is spooled to disk, checked and
// written a chunk at a time. What grows with the rows is the set of ids (for duplicates), ~100 B a row.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProjectAccess } from "../lib/auth/principal";
import { SYSTEM_ACTOR } from "../lib/db/audit";
import { openDb } from "../lib/db/client";
import { ensureProject } from "../lib/db/projects";
import { uploadNewDataset } from "../lib/services/datasets";

const ROWS = Number(process.argv[2] ?? 100_000);
const CHUNK_ROWS = 1000;
const MB = 1024 * 1024;

function row(i: number): Record<string, string> {
  return {
    id: `ex-${i}`,
    question: `Question number ${i}: what is the answer to this fairly ordinary, medium-sized prompt input?`,
    context: `Some context for row ${i}, with a comma, and "quotes" to exercise the CSV quoting path.`,
    label: i % 3 === 0 ? "positive" : "negative",
  };
}

const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

function render(format: "csv" | "jsonl" | "json", from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i++) {
    const r = row(i);
    if (format === "csv") out += `${Object.values(r).map(csvField).join(",")}\n`;
    else if (format === "jsonl") out += `${JSON.stringify(r)}\n`;
    else out += `${i === 0 ? "" : ",\n"}${JSON.stringify(r)}`;
  }
  return out;
}

/** The file as a stream made on demand: never whole in memory, here either. */
function body(format: "csv" | "jsonl" | "json", counter: { bytes: number }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      let text = "";
      if (next === 0)
        text += format === "csv" ? "id,question,context,label\n" : format === "json" ? "[\n" : "";
      if (next < ROWS) {
        const to = Math.min(ROWS, next + CHUNK_ROWS);
        text += render(format, next, to);
        next = to;
      } else {
        if (format === "json") {
          const end = encoder.encode("\n]\n");
          counter.bytes += end.byteLength;
          controller.enqueue(end);
        }
        controller.close();
        return;
      }
      const bytes = encoder.encode(text);
      counter.bytes += bytes.byteLength;
      controller.enqueue(bytes);
    },
  });
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "strop-measure-"));
  const db = await openDb(`file:${path.join(dir, "measure.db")}`);
  try {
    const ref = await ensureProject(db);
    const project = await db.project.findUniqueOrThrow({
      where: { id: ref.id },
      include: { organization: true },
    });
    const access: ProjectAccess = {
      principal: { kind: "user", userId: "measure", email: "measure@example.com", name: "measure" },
      project: {
        id: project.id,
        slug: project.slug,
        name: project.name,
        createdAt: project.createdAt,
        organization: {
          id: project.organization.id,
          slug: project.organization.slug,
          name: project.organization.name,
        },
      },
      role: "owner",
    };
    console.log(`${ROWS.toLocaleString("en-US")} rows per upload, streamed in ${CHUNK_ROWS}-row chunks`);
    for (const format of ["csv", "jsonl", "json"] as const) {
      globalThis.gc?.();
      const base = process.memoryUsage();
      let peakHeap = base.heapUsed;
      let peakRss = base.rss;
      const timer = setInterval(() => {
        const now = process.memoryUsage();
        peakHeap = Math.max(peakHeap, now.heapUsed);
        peakRss = Math.max(peakRss, now.rss);
      }, 10);
      const counter = { bytes: 0 };
      const started = performance.now();
      const result = await uploadNewDataset(
        db,
        access,
        { name: `measure-${format}`, format, expected: "label", inputs: ["question", "context"], id: "id" },
        { body: body(format, counter), contentLength: null, contentType: null },
        SYSTEM_ACTOR,
        { maxBytes: 500 * MB },
      );
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${format.padEnd(5)} ${(counter.bytes / MB).toFixed(1).padStart(6)} MB file, ${result.version.rowCount} rows stored in ${seconds.toFixed(1)} s; ` +
          `peak above baseline: heap ${((peakHeap - base.heapUsed) / MB).toFixed(1)} MB, rss ${((peakRss - base.rss) / MB).toFixed(1)} MB`,
      );
    }
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
