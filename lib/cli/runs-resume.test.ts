// `strop runs resume` and `strop runs cancel`: a `strop optimize` killed mid-run, or cancelled, continues
// from its last finished step; cancelling works on queued or running runs only. Child processes, a real
// SQLite file, provider calls over HTTP to the loopback fake server.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCheckpoints, type Db, ensureProject, getRun, listRuns, openDb } from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "strop-cli-runs-"));
const taskFile = path.join(root, "examples/intent/.task-runs-resume.yaml");
let server: FakeServer;
let db: Db;

function strop(args: string[]) {
  const child = spawn(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
    cwd: root,
    env: {
      ...process.env,
      STROP_DATA_DIR: dataDir,
      NO_COLOR: "1",
      OPENAI_COMPATIBLE_BASE_URL: server.baseURL,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

beforeAll(async () => {
  server = await startFakeOpenAIServer({ latencyMs: 10 });
  const original = readFileSync(path.join(root, "examples/intent/task.yaml"), "utf8");
  writeFileSync(taskFile, original.replaceAll("sim:default", "openai-compatible:sim-default"));
  db = await openDb(`file:${path.join(dataDir, "strop.db")}`);
});

afterAll(async () => {
  rmSync(taskFile, { force: true });
  await db.$disconnect();
  await server.close();
});

describe("strop runs resume / cancel", () => {
  it("continues a killed `strop optimize` from its last finished step", async () => {
    const optimize = strop(["optimize", taskFile, "--json"]);
    const project = await ensureProject(db);
    let runId = "";
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      runId = (await listRuns(db, project.id, { limit: 1 }))[0]?.id ?? "";
      if (runId && (await countCheckpoints(db, runId)) >= 10) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    optimize.child.kill("SIGKILL");
    expect((await optimize.done).signal).toBe("SIGKILL");
    const before = await countCheckpoints(db, runId);
    expect((await getRun(db, runId))?.status).toBe("running");

    const resume = await strop(["runs", "resume", runId, "--json"]).done;
    expect(resume.code, resume.stderr).toBe(0);
    const outcome = JSON.parse(resume.stdout);
    expect(outcome).toMatchObject({ runId, status: "succeeded" });
    expect(outcome.report.test.gain.low).toBeGreaterThan(0);
    const run = await getRun(db, runId);
    expect(run?.status).toBe("succeeded");
    expect(await countCheckpoints(db, runId)).toBeGreaterThan(before);

    // A finished run: resuming shows it again, cancelling is refused.
    expect((await strop(["runs", "resume", runId]).done).code).toBe(0);
    const cancel = await strop(["runs", "cancel", runId]).done;
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain(`run ${runId} already succeeded`);
  }, 180_000);

  it("cancels a run left running; resuming the cancelled run continues it to the end", async () => {
    const optimize = strop(["optimize", taskFile]);
    const project = await ensureProject(db);
    const known = new Set((await listRuns(db, project.id)).map((r) => r.id));
    let runId = "";
    const deadline = Date.now() + 60_000;
    while (!runId && Date.now() < deadline) {
      runId = (await listRuns(db, project.id)).find((r) => !known.has(r.id))?.id ?? "";
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    optimize.child.kill("SIGKILL");
    await optimize.done;
    const cancel = await strop(["runs", "cancel", runId]).done;
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`run ${runId} cancelled`);
    expect((await getRun(db, runId))?.status).toBe("cancelled");
    const checkpoints = await countCheckpoints(db, runId);
    const resume = await strop(["runs", "resume", runId, "--json"]).done;
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stderr).toContain(`run ${runId} resumed`);
    expect(JSON.parse(resume.stdout)).toMatchObject({ runId, status: "succeeded" });
    expect(await countCheckpoints(db, runId)).toBeGreaterThan(checkpoints);
    expect((await getRun(db, runId))?.status).toBe("succeeded");
  }, 180_000);
});
