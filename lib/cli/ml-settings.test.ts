// `strop eval` as a user runs it (a child process, a real SQLite file) with a task file that names a
// stored model configuration and a stored metric configuration of the "default" project, whose provider
// is configured only by the project's stored (encrypted) credential: real HTTP to the loopback fake.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ensureProject, getProjectBySlug, openDb, upsertMetricConfig, upsertModelConfig } from "@/lib/db";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { setProjectCredential } from "@/lib/services/credentials/manage";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "strop-cli-settings-"));
const STORED_KEY = "sk-cli-stored-SECRET-9876543210";

/** The child's environment: nothing configures a provider, and no encryption key (the database's is used). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, STROP_DATA_DIR: dataDir, NO_COLOR: "1" };
  for (const name of Object.keys(env)) {
    if (/^(OPENAI|ANTHROPIC|GOOGLE)_|^STROP_ENCRYPTION_KEY$|^DATABASE_URL$/.test(name)) delete env[name];
  }
  return env;
}

function strop(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
      cwd: root,
      env: childEnv(),
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

describe("strop eval with stored ML settings", () => {
  let fake: FakeServer;
  const taskFile = path.join(dataDir, "task.json");
  const task = {
    name: "stored-settings",
    prompt: { system: "Classify.", output: "Review: {{text}}" },
    dataset: { path: "data.csv", expected: "label" },
    models: { task: { config: "fake-openai" }, optimizer: { config: "fake-openai" } },
    metrics: [{ config: "exact" }],
    cache: { enabled: false },
  };

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    writeFileSync(
      path.join(dataDir, "data.csv"),
      "text,label\ngreat,positive\nawful,negative\nfine,neutral\n",
    );
    writeFileSync(taskFile, JSON.stringify(task));
    const db = await openDb(`file:${path.join(dataDir, "strop.db")}`);
    try {
      const project = await ensureProject(db, "default");
      await upsertModelConfig(db, project.id, {
        name: "fake-openai",
        modelId: "openai:default",
        concurrency: 2,
      });
      await upsertMetricConfig(db, project.id, { name: "exact", metric: "exact_match" });
      const access: ProjectAccess = {
        project: (await getProjectBySlug(db, "default"))!,
        role: "owner",
        principal: { kind: "user", userId: "test", email: "admin@example.com", name: "admin" },
      };
      await setProjectCredential(
        db,
        access,
        "openai",
        { apiKey: STORED_KEY, baseURL: fake.baseURL },
        {
          type: "system",
          id: null,
          label: "test",
        },
      );
    } finally {
      await db.$disconnect();
    }
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("resolves the stored configurations and calls the provider with the stored credential", async () => {
    const run = await strop(["eval", taskFile, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const outcome = JSON.parse(run.stdout) as { report: { failed: number; score: { n: number } } };
    expect(outcome.report.failed).toBe(0);
    expect(outcome.report.score.n).toBe(3);
    const calls = fake.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.headers.authorization === "[redacted]")).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(STORED_KEY);
  }, 120_000);

  it("names a stored configuration that does not exist, and exits non-zero", async () => {
    writeFileSync(taskFile, JSON.stringify({ ...task, metrics: [{ config: "missing" }] }));
    const run = await strop(["eval", taskFile]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'metrics.0.config: no metric configuration named "missing" in project "default"',
    );
  }, 120_000);
});
