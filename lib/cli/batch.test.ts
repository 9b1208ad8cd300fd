// `strop batch` end to end, as a user runs it: a child process, real files, a real SQLite file, the
// loopback fake OpenAI server as the provider.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, finishActiveBatch, openDb, recordBatchResults } from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { createProjectBatch } from "@/lib/services/batches";
import { operatorAccess } from "@/lib/services/operator";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "strop-cli-batch-"));
let server: FakeServer;

function strop(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
      cwd: dir,
      env: {
        ...process.env,
        STROP_DATA_DIR: path.join(dir, "data"),
        STROP_MIGRATIONS_DIR: path.join(root, "prisma/migrations"),
        OPENAI_COMPATIBLE_BASE_URL: server.baseURL,
        NO_COLOR: "1",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(`file:${path.join(dir, "data", "strop.db")}`);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

const file = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const taskFile = (name: string, model: string) =>
  file(
    name,
    [
      "name: shout",
      "prompt:",
      '  output: "Shout: {{text}}"',
      "dataset: { path: unused.csv }",
      "models:",
      `  task: ${model}`,
      "  optimizer: { id: sim:default }",
      "metrics: [{ name: exact_match }]",
      "cache: { enabled: false }",
      "",
    ].join("\n"),
  );

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond: (call) => ({ content: (call.messages.at(-1)?.content ?? "").toUpperCase() }),
  });
  taskFile("task.yaml", "{ id: openai-compatible:echo, concurrency: 3 }");
});

afterAll(async () => {
  await server.close();
});

const chatCalls = () => server.requests.filter((r) => r.path === "/v1/chat/completions").length;

describe("strop batch", { timeout: 120_000 }, () => {
  it("runs a task file's prompt over a CSV and streams the results into --out", async () => {
    file("rows.csv", `id,text\n1,"hello, world"\n2,quiet\n3,"a ""quoted"" word"\n`);
    const before = chatCalls();
    const run = await strop(["batch", "task.yaml", "--input", "rows.csv", "--out", "out.csv", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout);
    expect(outcome).toMatchObject({
      status: "succeeded",
      totalRows: 3,
      doneRows: 3,
      failedRows: 0,
      skippedRows: 0,
      calls: 3,
      out: "out.csv",
    });
    expect(chatCalls() - before).toBe(3);
    expect(readFileSync(path.join(dir, "out.csv"), "utf8")).toBe(
      [
        "row,key,id,text,status,output,error",
        '1,1,1,"hello, world",done,"SHOUT: HELLO, WORLD",',
        "2,2,2,quiet,done,SHOUT: QUIET,",
        '3,3,3,"a ""quoted"" word",done,"SHOUT: A ""QUOTED"" WORD",',
        "",
      ].join("\n"),
    );
    // The prompt of the file is stored as a version of its task, like `strop optimize` does.
    expect(await withDb((db) => db.promptVersion.count({ where: { task: { name: "shout" } } }))).toBe(1);
  });

  it("reads JSONL, writes JSONL, and shows progress on stderr without --json", async () => {
    file("rows.jsonl", `${JSON.stringify({ text: "one" })}\n${JSON.stringify({ text: "two", n: 2 })}\n`);
    const run = await strop(["batch", "task.yaml", "--input", "rows.jsonl", "--out", "out.jsonl"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^batch \S+ succeeded in .*: 2\/2 rows done, 0 failed, 0 skipped/);
    expect(run.stdout).toContain("results written to out.jsonl");
    expect(run.stderr).toMatch(/batch \S+ · 2\/2 rows · 0 failed/);
    const rows = readFileSync(path.join(dir, "out.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toMatchObject([
      { row: 1, input: { text: "one" }, status: "done", output: "SHOUT: ONE" },
      { row: 2, input: { text: "two", n: "2" }, status: "done", output: "SHOUT: TWO" },
    ]);
  });

  it("stops at a malformed row naming the file and row (exit 2, nothing stored), or skips it on request", async () => {
    file("bad.csv", "id,text\n1,fine\n2,\n3,also fine,extra\n");
    const batches = () => withDb((db) => db.batchJob.count());
    const before = await batches();
    const stopped = await strop(["batch", "task.yaml", "--input", "bad.csv"]);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain(
      'strop: bad.csv row 2 (line 3): template variable "text" is missing or empty; nothing was stored',
    );
    expect(await batches()).toBe(before);

    const skipped = await strop(["batch", "task.yaml", "--input", "bad.csv", "--on-malformed", "skip"]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain('skipped bad.csv row 2: template variable "text" is missing or empty');
    expect(skipped.stderr).toContain("skipped bad.csv row 3: expected 2 fields, found 3");
    expect(skipped.stdout).toContain("1/1 rows done, 0 failed, 2 skipped");
    expect(await batches()).toBe(before + 1);
  });

  it("refuses zero or negative limits and bad flags, naming them (exit 2)", async () => {
    const cases: [string[], string][] = [
      [["batch", "task.yaml", "--input", "rows.csv", "--chunk-size", "0"], "--chunk-size"],
      [["batch", "task.yaml", "--input", "rows.csv", "--chunk-size", "-3"], "--chunk-size"],
      [
        [
          "batch",
          taskFile("zero.yaml", "{ id: openai-compatible:echo, concurrency: 0 }"),
          "--input",
          "rows.csv",
        ],
        "models.task.concurrency",
      ],
      [
        [
          "batch",
          taskFile("limit.yaml", "{ id: openai-compatible:echo, rateLimit: { requestsPerMinute: -5 } }"),
          "--input",
          "rows.csv",
        ],
        "models.task.rateLimit.requestsPerMinute",
      ],
      [["batch", "task.yaml", "--input", "rows.csv", "--on-malformed", "ignore"], "--on-malformed"],
      [["batch", "task.yaml", "--input", "rows.txt"], "--input rows.txt"],
      [["batch", "task.yaml", "--input", "rows.csv", "--out", "out.txt"], "--out out.txt"],
      [["batch", "shout", "--input", "rows.csv"], "--model"],
      [
        ["batch", "shout", "--input", "rows.csv", "--model", "nope"],
        'Invalid --model: no model configuration named "nope"',
      ],
      [
        ["batch", "shout", "--input", "rows.csv", "--model", "sim:default", "--version", "9"],
        "Invalid --version",
      ],
    ];
    for (const [args, text] of cases) {
      const run = await strop(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toContain(text);
    }
  });

  it("runs a stored task by name with --model, and --resume continues a batch that did not finish", async () => {
    const byName = await strop(["batch", "shout", "--input", "rows.csv", "--model", "sim:default", "--json"]);
    expect(byName.code, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout)).toMatchObject({ status: "succeeded", doneRows: 3 });

    // A batch stored by the CLI whose process stopped before running it.
    const id = await withDb(async (db) => {
      const created = await createProjectBatch(
        db,
        await operatorAccess(db),
        { task: "shout", model: { id: "openai-compatible:echo", concurrency: 2 }, chunkSize: 2 },
        { kind: "file", path: path.join(dir, "rows.csv"), format: "csv", label: "rows.csv" },
        {
          origin: "cli",
          dispatch: async () => {},
          env: {},
        },
      );
      return created.id;
    });
    const resumed = await strop(["batch", "--resume", id, "--out", "resumed.jsonl", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ batchId: id, status: "succeeded", doneRows: 3 });
    expect(readFileSync(path.join(dir, "resumed.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    const missing = await strop(["batch", "--resume", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no batch with id "nope"');
  });

  it("--resume continues a failed batch with its rows not done yet", async () => {
    file("four.csv", "text\none\ntwo\nthree\nfour\n");
    const id = await withDb(async (db) => {
      const created = await createProjectBatch(
        db,
        await operatorAccess(db),
        { task: "shout", model: { id: "openai-compatible:echo", concurrency: 2 }, chunkSize: 2 },
        { kind: "file", path: path.join(dir, "four.csv"), format: "csv", label: "four.csv" },
        {
          origin: "cli",
          dispatch: async () => {},
          env: {},
        },
      );
      // Its first chunk was done when the database went away for good.
      await recordBatchResults(db, created.id, [
        {
          rowNumber: 1,
          key: "1",
          input: { text: "one" },
          output: "kept",
          error: null,
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 0,
          latencyMs: 1,
          cached: false,
        },
        {
          rowNumber: 2,
          key: "2",
          input: { text: "two" },
          output: "kept",
          error: null,
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 0,
          latencyMs: 1,
          cached: false,
        },
      ]);
      await finishActiveBatch(db, created.id, {
        status: "failed",
        error: "the database was unavailable; resume the batch",
        failedStep: "chunk-1",
      });
      return created.id;
    });
    const before = chatCalls();
    const resumed = await strop(["batch", "--resume", id, "--out", "four.jsonl", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`batch ${id} resumed`);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded", doneRows: 4, error: null });
    expect(chatCalls() - before).toBe(2);
    const outputs = readFileSync(path.join(dir, "four.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).output);
    expect(outputs).toEqual(["kept", "kept", "SHOUT: THREE", "SHOUT: FOUR"]);
    // The CLI resumed it through the services, as the operator: audited like a resume over the API.
    const audit = await withDb((db) =>
      db.auditLog.findMany({ where: { targetId: id }, orderBy: { createdAt: "asc" } }),
    );
    expect(audit.map((e) => [e.action, e.actorType, e.actorLabel])).toEqual([
      ["batch.created", "system", "cli"],
      ["batch.resumed", "system", "cli"],
    ]);
    // Succeeded: there is nothing left to resume.
    const again = await strop(["batch", "--resume", id, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(chatCalls() - before).toBe(2);
  });

  it("--out results.csv is safe to open in a spreadsheet: formula cells get a quote, numbers stay", async () => {
    file("formulas.csv", 'text\n=1+1\n-1.5\n"@SUM(A1:A2)"\n');
    const run = await strop(["batch", "task.yaml", "--input", "formulas.csv", "--out", "formulas-out.csv"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "formulas-out.csv"), "utf8")).toBe(
      [
        "row,key,text,status,output,error",
        "1,1,'=1+1,done,SHOUT: =1+1,",
        "2,2,-1.5,done,SHOUT: -1.5,",
        "3,3,'@SUM(A1:A2),done,SHOUT: @SUM(A1:A2),",
        "",
      ].join("\n"),
    );
  });
});
