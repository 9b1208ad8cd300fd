// The task-file export, round trip through the CLI on both databases: a version written in the API,
// exported (GET …/versions/{n}/task-file and `strop export`, the same file), run by `strop optimize`
// (a child process, as users run it) — which starts from that very version — and the run's winner
// exported again with the run's own settings and run once more.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { databaseUrl } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import * as taskFile from "./projects/[project]/prompts/[task]/versions/[version]/task-file/route";
import * as prompts from "./projects/[project]/prompts/route";

const root = path.resolve(import.meta.dirname, "../../..");

function strop(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The first 40 reviews of the bundled example, with the expected column the export defaults to. */
function reviewsCsv(): string {
  const lines = readFileSync(path.join(root, "examples/sentiment/reviews.csv"), "utf8").trim().split("\n");
  return ["id,text,expected", ...lines.slice(1, 41)].join("\n");
}

describe.each(TEST_PROVIDERS)(
  "task file round trip through the CLI on %s",
  { timeout: 240_000 },
  (provider) => {
    let w: ApiWorld;
    let dir: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      w = await createApiWorld(provider);
      dir = mkdtempSync(path.join(tmpdir(), "strop-export-"));
      env = { DATABASE_URL: databaseUrl() };
      writeFileSync(path.join(dir, "reviews.csv"), reviewsCsv());
      const created = await w.call(prompts.POST, {
        params: { project: "alpha" },
        body: {
          name: "sentiment",
          description: "Reviews",
          version: {
            systemPrompt: "You are a helpful assistant.",
            outputPrompt:
              "Classify the sentiment of this review as positive, negative or neutral.\n\nReview: {{text}}",
            message: "Draft",
          },
        },
        as: w.users.editor.credential,
      });
      expect(created.status).toBe(201);
    });
    afterAll(async () => {
      await w?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("exports a version that strop optimize runs from that very version, and the winner again", async () => {
      const exported = await w.call(taskFile.GET, {
        params: { project: "alpha", task: "sentiment", version: "1" },
        query: { dataset: "reviews.csv" },
        as: w.users.viewer.credential,
      });
      expect(exported.status).toBe(200);
      const cli = await strop(
        ["export", "sentiment", "--version", "1", "--dataset", "reviews.csv", "--project", "alpha"],
        env,
      );
      expect(cli.stderr).toBe("");
      expect(cli.stdout).toBe(exported.text);
      const file = path.join(dir, "sentiment-v1.yaml");
      writeFileSync(file, exported.text);

      const first = await strop(["optimize", file, "--project", "alpha", "--json"], env);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const outcome = JSON.parse(first.stdout) as { runId: string; savedVersion: number | null };
      const run = await w.db.optimizationRun.findUniqueOrThrow({
        where: { id: outcome.runId },
        include: { baselineVersion: true },
      });
      // Same content, same version: the run started from the exported version, not a copy.
      expect(run.baselineVersion.version).toBe(1);
      expect(run.status).toBe("succeeded");

      const latest = outcome.savedVersion ?? 1;
      const out = path.join(dir, "again.yaml");
      const again = await strop(["export", "sentiment", "--project", "alpha", "--out", out], env);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain(`version ${latest}`);
      const settings = parseYaml(readFileSync(out, "utf8"));
      expect(settings).toMatchObject({
        dataset: { path: "reviews.csv", expected: "expected" },
        models: { task: { id: "sim:default" } },
      });
      expect(readFileSync(out, "utf8")).toContain(`# Settings from run ${outcome.runId}.`);
      const second = await strop(["optimize", out, "--project", "alpha", "--json"], env);
      expect(second.stderr).toBe("");
      expect(second.code).toBe(0);
      const rerun = await w.db.optimizationRun.findUniqueOrThrow({
        where: { id: JSON.parse(second.stdout).runId },
        include: { baselineVersion: true },
      });
      expect(rerun.baselineVersion.version).toBe(latest);
    });

    it("names what is wrong: an unknown task, version or label", async () => {
      const unknown = await strop(["export", "nope", "--project", "alpha"], env);
      expect([unknown.code, unknown.stderr.trim()]).toEqual([
        2,
        'strop: no task named "nope" in this project',
      ]);
      expect(
        (await strop(["export", "sentiment", "--version", "9", "--project", "alpha"], env)).stderr,
      ).toContain('task "sentiment" has no version 9');
      expect(
        (await strop(["export", "sentiment", "--label", "production", "--project", "alpha"], env)).stderr,
      ).toContain('task "sentiment" has no label "production"');
    });
  },
);
