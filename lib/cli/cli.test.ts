// The `strop` command end to end, as a user runs it: a child process, real files, a real SQLite file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "@/lib/db";
import { startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "strop-cli-"));

/** Runs the CLI as a child process. Asynchronous, so servers in this process keep answering. */
function strop(args: string[], env: Record<string, string> = {}, input = "", cwd = root) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
      cwd,
      env: { ...process.env, STROP_DATA_DIR: dataDir, NO_COLOR: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(`file:${path.join(dataDir, "strop.db")}`);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

const countTasks = (name: string) => withDb((db) => db.task.count({ where: { name } }));

describe("strop optimize on the bundled sentiment example (sim model, offline)", { timeout: 180_000 }, () => {
  let outcome: {
    runId: string;
    savedVersion: number | null;
    report: {
      test: { baseline: { mean: number }; best: { mean: number }; gain: { low: number } };
      iterations: unknown[];
    };
  };

  beforeAll(async () => {
    const run = await strop(["optimize", "examples/sentiment/task.yaml", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    outcome = JSON.parse(run.stdout);
  }, 180_000);

  it("improves the held-out test score with a 95% interval of the gain above zero", () => {
    expect(outcome.report.test.best.mean).toBeGreaterThan(outcome.report.test.baseline.mean);
    expect(outcome.report.test.gain.low).toBeGreaterThan(0);
    expect(outcome.savedVersion).toBe(2);
  });

  it("lists and shows the run from the database", async () => {
    const list = await strop(["runs", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(outcome.runId);
    expect(list.stdout).toContain("succeeded");
    const show = await strop(["runs", "show", outcome.runId]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Held-out test");
    expect(show.stdout).toContain("Winning prompt");
    expect((await strop(["runs", "show", "nope"])).stderr).toContain('no run with id "nope"');
  });

  it("goes through the services as the operator: its runs are audited like the API's", async () => {
    const list = JSON.parse((await strop(["runs", "list", "--json"])).stdout);
    expect(list.find((r: { id: string }) => r.id === outcome.runId)).toMatchObject({
      kind: "optimize",
      status: "succeeded",
      score: { kind: "optimize" },
    });
    const created = await withDb((db) =>
      db.auditLog.findMany({ where: { action: "run.created", targetId: outcome.runId } }),
    );
    expect(created).toMatchObject([{ actorType: "system", actorId: null, actorLabel: "cli" }]);
  });

  it("evaluates the saved winner by version", async () => {
    const evaluate = async (version: string) =>
      JSON.parse(
        (await strop(["eval", "examples/sentiment/task.yaml", "--version", version, "--json"])).stdout,
      );
    const [base, best] = [await evaluate("1"), await evaluate("2")];
    expect(best.report.score.mean).toBeGreaterThan(base.report.score.mean);
    expect((await strop(["eval", "examples/sentiment/task.yaml", "--version", "99"])).stderr).toContain(
      'task "sentiment" has no prompt version 99',
    );
  });
});

describe("strop eval --project", { timeout: 180_000 }, () => {
  it("works in the named project, and refuses a slug that is not one", async () => {
    const run = await strop(["eval", "examples/sentiment/task.yaml", "--project", "team-b", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const { runId } = JSON.parse(run.stdout);
    const project = await withDb((db) =>
      db.optimizationRun.findUnique({
        where: { id: runId },
        select: { project: { select: { slug: true } } },
      }),
    );
    expect(project?.project.slug).toBe("team-b");
    const bad = await strop(["eval", "examples/sentiment/task.yaml", "--project", "Team B"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--project must be a project slug");
  });
});

describe("bad input exits non-zero, names the problem and writes nothing", { timeout: 180_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "strop-bad-"));
  const good = {
    name: "bad-input",
    prompt: { system: "Classify.", output: "Review: {{text}}" },
    dataset: { path: "data.csv", expected: "label" },
    models: { task: { id: "sim:default" }, optimizer: { id: "sim:default" } },
    metrics: [{ name: "exact_match" }],
  };
  const write = (name: string, content: string) => {
    writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  const task = (overrides: Record<string, unknown>, dataset = "data.csv") =>
    write(
      "task.json",
      JSON.stringify({ ...good, ...overrides, dataset: { path: dataset, expected: "label" } }),
    );

  const taskWithData = (name: string, content: string) => {
    write(name, content);
    return task({}, name);
  };

  beforeAll(() => {
    write("data.csv", "text,label\ngreat,positive\nawful,negative\nfine,neutral\n");
  });

  it.each([
    ["a missing field", () => task({ prompt: { system: "x" } }), "prompt.output", "task.json"],
    ["an unknown field", () => task({ promt: "x" }), 'unknown field(s) "promt"', "task.json"],
    [
      "an unknown provider",
      () => task({ models: { task: { id: "foo:bar" }, optimizer: { id: "sim:default" } } }),
      "models.task.id",
      "task.json",
    ],
    [
      "an unknown metric",
      () => task({ metrics: [{ name: "accuracy" }] }),
      'Unknown metric "accuracy"',
      "task.json",
    ],
    [
      "bad metric options",
      () => task({ metrics: [{ name: "regex", options: { pattern: "(" } }] }),
      "pattern",
      "task.json",
    ],
    [
      "an unknown strategy",
      () => task({ optimizer: { strategy: "magic" } }),
      'unknown optimizer strategy "magic"',
      "task.json",
    ],
    [
      "a row without a template variable",
      () => taskWithData("gap.csv", "text,label\ngreat,positive\n,negative\n"),
      'row 2: template variable "text" is missing or empty',
      "gap.csv",
    ],
    ["an empty dataset file", () => taskWithData("empty.csv", ""), "the dataset has no rows", "empty.csv"],
    [
      "a malformed CSV",
      () => taskWithData("broken.csv", 'text,label\n"great,positive\n'),
      "line 2: unterminated quoted field",
      "broken.csv",
    ],
    [
      "a malformed JSONL row",
      () => taskWithData("broken.jsonl", '{"text":"a","label":"b"}\n{"text": oops}\n'),
      "broken.jsonl row 2 (line 2): not valid JSON",
      "broken.jsonl",
    ],
    [
      "a missing dataset file",
      () => task({}, "missing.csv"),
      "missing.csv: cannot read the dataset (ENOENT)",
      "missing.csv",
    ],
    [
      "YAML that does not parse",
      () => write("task.yaml", "name: [unclosed"),
      "task.yaml: not valid YAML",
      "task.yaml",
    ],
  ])("%s", async (_, makeFile, message, namedFile) => {
    const { code, stderr } = await strop(["optimize", makeFile()]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain(`${dir}/${namedFile}`);
    expect(await countTasks("bad-input")).toBe(0);
  });
});

describe("strop run from another folder", { timeout: 180_000 }, () => {
  it("finds its migrations beside the command, not in the working directory", async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), "strop-cwd-"));
    const database = path.join(elsewhere, "own.db");
    const migrated = await strop(["db", "migrate"], { DATABASE_URL: `file:${database}` }, "", elsewhere);
    expect(migrated.code, migrated.stderr).toBe(0);
    const db = await openDb(`file:${database}`, { migrate: false });
    try {
      // The tables exist (a query on an unmigrated file throws): the migrations were found and applied.
      await expect(db.project.count()).resolves.toBe(0);
    } finally {
      await db.$disconnect();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("strop admin create-user", { timeout: 180_000 }, () => {
  it("creates a user from a password on stdin, and refuses a password elsewhere", async () => {
    const created = await strop(
      ["admin", "create-user", "--email", "ana@example.com", "--password-stdin"],
      {},
      "correct horse battery staple\n",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).user.email).toBe("ana@example.com");
    expect(created.stdout).not.toContain("correct horse");
    const noStdin = await strop(["admin", "create-user", "--email", "bo@example.com", "--password", "x"]);
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toContain("--password-stdin");
    const taken = await strop(
      ["admin", "create-user", "--email", "ana@example.com", "--password-stdin"],
      {},
      "another long one\n",
    );
    expect(taken.code).toBe(2);
  });
});

describe("the same task file against an OpenAI-compatible HTTP server", { timeout: 180_000 }, () => {
  let server: Awaited<ReturnType<typeof startFakeOpenAIServer>>;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
  });
  afterAll(() => server.close());

  it("runs by changing only the model ids, over real HTTP", async () => {
    const original = readFileSync(path.join(root, "examples/intent/task.yaml"), "utf8");
    const changed = original.replaceAll("sim:default", "openai-compatible:sim-default");
    expect(changed).not.toBe(original);
    const file = path.join(root, "examples/intent/.task-openai-compatible.yaml");
    writeFileSync(file, changed);
    try {
      const run = await strop(["optimize", file, "--json"], { OPENAI_COMPATIBLE_BASE_URL: server.baseURL });
      expect(run.code, run.stderr).toBe(0);
      const outcome = JSON.parse(run.stdout);
      const chat = server.requests.filter((r) => r.path === "/v1/chat/completions");
      expect(chat.length).toBe(outcome.report.usage.calls);
      expect(outcome.report.usage.inputTokens).toBeGreaterThan(0);
      expect(outcome.report.test.gain.low).toBeGreaterThan(0);
    } finally {
      rmSync(file, { force: true });
    }
  }, 180_000);
});
