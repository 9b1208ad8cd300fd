// `npx tsx scripts/measure-restore.ts [results]`: how fast the real `strop backup` and `strop restore`
// processes move a database. Seeds a fresh SQLite database with one run holding `results` scored
// examples (default 100,000, in phases of 1,000), then times `strop backup` of it and `strop restore` of
// the archive into an empty SQLite database and an empty PostgreSQL database (127.0.0.1:5432, as the
// tests use), and prints rows per second. Nothing is kept: the databases and the archive are dropped.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "../lib/db/client";
import { ensureProject } from "../lib/db/projects";
import { upsertExampleResults } from "../lib/db/runs/writes";
import { createTestDatabase } from "../lib/db/test-databases";
import { runFixture, scored } from "../lib/db/testing/repository-fixtures";
import { fmt, root } from "./bench-support";

const RESULTS = Number(process.argv[2] ?? 100_000);
const PHASE = 1000;

function strop(args: string[], databaseUrl: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, STROP_DATA_DIR: path.dirname(databaseUrl.slice(5)) },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`strop ${args.join(" ")} failed (${run.status}):\n${run.stderr}`);
  return performance.now() - started;
}

const work = mkdtempSync(path.join(os.tmpdir(), "strop-restore-"));
const sourceUrl = `file:${path.join(work, "source.db")}`;
const archive = path.join(work, "backup.gz");
try {
  const db = await openDb(sourceUrl);
  try {
    const { run } = await runFixture(db, (await ensureProject(db)).id, "restore", "eval");
    for (let from = 0; from < RESULTS; from += PHASE) {
      const rows = Array.from({ length: Math.min(PHASE, RESULTS - from) }, (_, i) =>
        scored(`ex-${from + i}`, i % 2, `an output of a typical length for row ${from + i}`),
      );
      await upsertExampleResults(db, run.id, `final/test/p${from / PHASE}`, "test", rows);
    }
  } finally {
    await db.$disconnect();
  }
  const backupMs = strop(["backup", "--out", archive], sourceUrl);
  const size = statSync(archive).size / (1024 * 1024);
  console.log(
    `strop backup: ${RESULTS.toLocaleString("en-US")} results in ${fmt(backupMs)}, archive ${size.toFixed(1)} MB`,
  );
  for (const provider of ["sqlite", "postgresql"] as const) {
    const target = await createTestDatabase(provider);
    try {
      const ms = strop(["restore", archive], target.url);
      const perSecond = Math.round(RESULTS / (ms / 1000)).toLocaleString("en-US");
      console.log(
        `strop restore into ${provider}: ${fmt(ms)} (${perSecond} results/s, the process included)`,
      );
    } finally {
      await target.drop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
