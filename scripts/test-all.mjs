#!/usr/bin/env node
// The whole test suite: lint, typecheck, every vitest test (unit, integration on SQLite and
// PostgreSQL, the CLI end to end) and the Playwright browser tests. Ends with the line CI reads:
// "N passed, N failed". First it makes sure PostgreSQL, Redis and Chromium are there
// (scripts/test-prerequisites.mjs: started or installed when it can, else it stops with the command).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureTestPrerequisites } from "./test-prerequisites.mjs";

// Arguments narrow the run to some vitest files (no browser tests, no checks: the developer's loop).
const narrowed = process.argv.length > 2;
const browserTests = !narrowed && process.env.STROP_E2E !== "0";
if (!narrowed) {
  const missing = await ensureTestPrerequisites({ browser: browserTests });
  if (missing.length) {
    console.log("\nThe tests cannot run yet. Missing:");
    for (const { what, fix } of missing) console.log(`  ${what}\n    run: ${fix}`);
    console.log(`0 passed, ${missing.length} failed`);
    process.exit(1);
  }
}

const resultsFile = ".strop/test-results.json";
mkdirSync(".strop", { recursive: true });
rmSync(resultsFile, { force: true });

let passed = 0;
let failed = 0;
const failures = [];

function check(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const { status } = spawnSync(command, args, { stdio: "inherit" });
  if (status === 0) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

check("lint", "npx", ["biome", "check", "."]);
check("typecheck", "npx", ["tsc", "--noEmit"]);

console.log("\n▶ vitest");
const vitest = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  // As in CI: a missing snapshot fails instead of being written (a pinned report that was never
  // committed would otherwise pass here and fail there).
  { stdio: "inherit", env: { ...process.env, CI: process.env.CI || "true" } },
);
try {
  const results = JSON.parse(readFileSync(resultsFile, "utf8"));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  // Named here so that the tail of the output (all CI keeps) says which tests failed.
  for (const file of results.testResults)
    for (const test of file.assertionResults)
      if (test.status === "failed")
        failures.push(`${path.relative(process.cwd(), file.name)} › ${test.fullName}`);
  // A file that fails to load has no tests to count: count it as a failure.
  const broken = results.testResults.filter(
    (file) => file.status === "failed" && file.assertionResults.length === 0,
  );
  failed += broken.length;
  for (const file of broken) failures.push(`${file.name} (did not load)`);
  if (results.numTotalTests === 0) {
    failed++;
    failures.push("vitest ran no tests");
  }
} catch {
  failed++;
  failures.push(`vitest produced no results (exit ${vitest.status})`);
}

// Browser tests (Playwright, real Chromium against the built app; see playwright.config.ts). Skipped
// when arguments narrow the vitest run, or with STROP_E2E=0.
const e2eResults = ".strop/e2e-results.json";
if (!browserTests) {
  console.log("\n▶ playwright: skipped (arguments given or STROP_E2E=0)");
} else {
  console.log("\n▶ playwright: npx playwright test");
  rmSync(e2eResults, { force: true });
  const e2e = spawnSync("npx", ["playwright", "test"], {
    stdio: "inherit",
    env: { ...process.env, STROP_E2E_RESULTS: e2eResults },
  });
  try {
    const { stats, errors } = JSON.parse(readFileSync(e2eResults, "utf8"));
    // "flaky": failed once, passed on the retry.
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (stats.unexpected) failures.push(`playwright (${stats.unexpected} failed)`);
    if (stats.flaky) console.log(`playwright: ${stats.flaky} test(s) passed only on retry`);
    if (stats.expected + stats.unexpected + stats.flaky === 0) {
      failed++;
      failures.push(`playwright ran no tests${errors?.length ? `: ${errors[0].message}` : ""}`);
    }
  } catch {
    failed++;
    failures.push(`playwright produced no results (exit ${e2e.status})`);
  }
}

if (failures.length) console.log(`\nFailed:\n  ${failures.join("\n  ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
