// The optimization service on the bundled examples with the offline sim, against real SQLite files.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "@/lib/core/errors";
import { type Db, getRun, listExampleResults, listExamples, openDb } from "@/lib/db";
import { loadDataset } from "../dataset-file";
import { evaluateTaskFile, optimizeTaskFile } from "./task-files";

const root = path.resolve(import.meta.dirname, "../../..");
const opened: Db[] = [];

async function freshDb(): Promise<Db> {
  const db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-svc-")), "strop.db")}`);
  opened.push(db);
  return db;
}

afterAll(async () => {
  await Promise.all(opened.map((db) => db.$disconnect()));
});

describe("optimizeTaskFile", () => {
  it("gives the same run, step for step, for the same seed and inputs", async () => {
    const [dbA, dbB] = [await freshDb(), await freshDb()];
    const a = await optimizeTaskFile(path.join(root, "examples/intent/task.yaml"), { db: dbA });
    const b = await optimizeTaskFile(path.join(root, "examples/intent/task.yaml"), { db: dbB });
    expect({ ...b.report, elapsedMs: 0 }).toEqual({ ...a.report, elapsedMs: 0 });
    // The start time and latencies are measurements, not outcomes: everything else must match.
    const steps = async (db: Db, runId: string) =>
      (
        await db.stepCheckpoint.findMany({
          where: { runId, stepId: { not: "start" } },
          orderBy: { stepId: "asc" },
        })
      ).map((s) => [s.stepId, String(s.result).replace(/"latencyMs":[\d.e+-]+/g, "")]);
    expect(await steps(dbB, b.runId)).toEqual(await steps(dbA, a.runId));
    expect(a.report.test.gain.low).toBeGreaterThan(0);
  }, 120_000);

  it("stores the run, its iterations, candidates and per-example results", async () => {
    const db = await freshDb();
    const outcome = await optimizeTaskFile(path.join(root, "examples/sentiment/task.yaml"), { db });
    const run = await getRun(db, outcome.runId);
    expect(run?.status).toBe("succeeded");
    expect(run?.iterations.length).toBe(outcome.report.iterations.length);
    expect(run?.candidates.length).toBeGreaterThan(0);
    expect(run?.calls).toBe(outcome.report.usage.calls);
    const testRows = await listExampleResults(db, outcome.runId, { phase: "final/test/best" });
    expect(testRows).toHaveLength(outcome.report.splits.test);
    expect(testRows.every((r) => r.split === "test" && r.inputTokens > 0)).toBe(true);
  }, 120_000);
});

describe("the examples an evaluation starts from", () => {
  it("are the ones its stored dataset version reads back (the run takes them without reading them)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strop-typed-"));
    const rows = [
      { id: "a", text: "Ünïcode — “quoted” \\ back\\slash", n: 3, flag: true, label: "positive" },
      { id: "b", text: " padded ", n: 0.25, flag: false, label: "negative" },
      { id: "c", text: "line\nbreak", n: -7, flag: true, label: "neutral" },
    ];
    writeFileSync(path.join(dir, "rows.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
    const task = [
      "name: typed",
      "prompt:",
      "  system: Classify.",
      "  output: '{{text}} {{n}} {{flag}}'",
      "dataset: { path: rows.jsonl, id: id, expected: label, inputs: [text, n, flag] }",
      "models: { task: { id: sim:default }, optimizer: { id: sim:default } }",
      "metrics: [{ name: exact_match }]",
    ].join("\n");
    writeFileSync(path.join(dir, "task.yaml"), task);
    const db = await freshDb();
    const outcome = await evaluateTaskFile(path.join(dir, "task.yaml"), { db });
    const run = await getRun(db, outcome.runId);
    const stored = (await listExamples(db, run!.datasetVersionId)).map(({ id, input, expected }) => ({
      id,
      input,
      expected,
    }));
    const parsed = await loadDataset(
      path.join(dir, "rows.jsonl"),
      { id: "id", expected: "label", inputs: ["text", "n", "flag"] },
      ["text", "n", "flag"],
    );
    expect(stored).toEqual(parsed.examples.map(({ id, input, expected }) => ({ id, input, expected })));
    expect(stored).toHaveLength(3);
  });
});

describe("a task file naming an unknown simulator model", () => {
  it("is refused before anything runs, naming the field and the known models", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strop-sim-nope-"));
    const example = path.join(root, "examples/intent");
    const yaml = readFileSync(path.join(example, "task.yaml"), "utf8");
    expect(yaml).toContain("sim:default");
    writeFileSync(path.join(dir, "task.yaml"), yaml.replaceAll("sim:default", "sim:nope"));
    copyFileSync(path.join(example, "tickets.csv"), path.join(dir, "tickets.csv"));
    const db = await freshDb();
    const error = await optimizeTaskFile(path.join(dir, "task.yaml"), { db }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /models\.(task|optimizer)\.id: Unknown simulator model "sim:nope"; known simulator models: sim:default, /,
    );
    expect(await db.optimizationRun.count()).toBe(0);
  });
});
