#!/usr/bin/env node
// The app the browser tests run against (Playwright's webServer). With STROP_DATA_DIR pointing at a
// fresh directory: seed it with one CLI optimization run (project "default": a task with two prompt
// versions, a dataset, a finished run) and one evaluation in project "sandbox" (the same task with one
// version and the dataset) while building the app once into .next-e2e, then `next start`
// on PORT. SIGTERM/SIGINT stop the server; the data directory is removed when it is a temp folder.
// STROP_E2E_SKIP_BUILD=1 reuses the last .next-e2e build (for iterating on specs).
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT || "3100";
const dataDir = process.env.STROP_DATA_DIR;
if (!dataDir) {
  console.error("e2e/server.mjs: set STROP_DATA_DIR to a fresh directory");
  process.exit(2);
}
// STROP_E2E_DIST_DIR: another folder, so two checkouts of the specs can build side by side.
const distDir = process.env.STROP_E2E_DIST_DIR || ".next-e2e";

// SQLite in the data directory and the embedded runner, whatever the calling shell has set.
const env = {
  ...process.env,
  STROP_DATA_DIR: dataDir,
  NEXT_TELEMETRY_DISABLED: "1",
  STROP_NEXT_DIST_DIR: distDir,
  // The specs' models talk to loopback fake servers, which the egress policy refuses by default.
  STROP_EGRESS_ALLOW: process.env.STROP_EGRESS_ALLOW || "loopback",
};
for (const name of [
  "DATABASE_URL",
  "STROP_RUNNER",
  "INNGEST_DEV",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
])
  delete env[name];

const children = new Set();
function run(label, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: "inherit",
    });
    children.add(child);
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (code === 0) {
        console.log(`[e2e server] ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  const finish = () => {
    const resolved = path.resolve(dataDir);
    if (resolved.startsWith(path.join(tmpdir(), "strop-e2e-")))
      rmSync(resolved, { recursive: true, force: true });
    process.exit(code);
  };
  if (children.size === 0) finish();
  else setTimeout(finish, 1500).unref?.();
  for (const child of children) child.on("exit", () => children.size === 0 && finish());
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));

try {
  const next = path.join(root, "node_modules/next/dist/bin/next");
  const skipBuild =
    process.env.STROP_E2E_SKIP_BUILD === "1" && existsSync(path.join(root, distDir, "BUILD_ID"));
  await Promise.all([
    run("seed: strop optimize examples/sentiment/task.yaml", [
      "bin/strop.mjs",
      "optimize",
      "examples/sentiment/task.yaml",
    ]).then(() =>
      // A second project with the same task and dataset, for specs that add runs and versions.
      run("seed: strop eval examples/sentiment/task.yaml --project sandbox", [
        "bin/strop.mjs",
        "eval",
        "examples/sentiment/task.yaml",
        "--project",
        "sandbox",
        "--quiet",
      ]),
    ),
    skipBuild ? Promise.resolve() : run("next build", [next, "build"], { STROP_E2E_BUILD: "1" }),
  ]);
  if (stopping) process.exit(0);
  // Kept-alive connections stay open longer than any pause in a spec: with Next's default of 5 s, a
  // request sent just as the server closed its idle socket failed with ECONNRESET (seen in CI).
  const keepAlive = ["--keepAliveTimeout", "65000"];
  const server = spawn(process.execPath, [next, "start", "-p", port, "-H", "127.0.0.1", ...keepAlive], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  children.add(server);
  server.on("exit", (code) => {
    children.delete(server);
    if (!stopping) {
      console.error(`[e2e server] next start exited (${code})`);
      stop(1);
    }
  });
} catch (error) {
  console.error(`[e2e server] ${error.message}`);
  stop(1);
}
