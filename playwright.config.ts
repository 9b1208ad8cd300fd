// Browser tests in real Chromium (Debian's /usr/bin/chromium; no browser download) against the built
// app: `e2e/server.mjs` seeds a fresh data directory with a CLI run, builds once into .next-e2e and
// runs `next start` on a free port. The "setup" project creates the first owner through /setup; every
// spec then starts signed in as that owner (storage state) and makes its own project, users and keys.
// "chromium" runs every spec at laptop size; "phone" runs the tests titled "@phone" at 390×844.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// The config is evaluated again in every worker: the first evaluation picks the port and the data
// directory and passes them on through the environment.
process.env.STROP_E2E_PORT ||= execFileSync(
  process.execPath,
  [
    "-e",
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ],
  { encoding: "utf8" },
).trim();
process.env.STROP_E2E_DATA_DIR ||= mkdtempSync(path.join(tmpdir(), "strop-e2e-"));
// Specs point models at loopback fake servers; the app and the processes specs start inherit this.
process.env.STROP_EGRESS_ALLOW ||= "loopback";

const baseURL = `http://127.0.0.1:${process.env.STROP_E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 1,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: process.env.STROP_E2E_RESULTS || ".strop/e2e-results.json" }]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { storageState: path.join(process.env.STROP_E2E_DATA_DIR, "owner-state.json") },
    },
    // The same app on a phone: tests whose title has "@phone" run again at 390×844 with touch.
    {
      name: "phone",
      testMatch: /.*\.spec\.ts/,
      grep: /@phone/,
      dependencies: ["setup"],
      use: {
        storageState: path.join(process.env.STROP_E2E_DATA_DIR, "owner-state.json"),
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      },
    },
  ],
  webServer: {
    command: "node e2e/server.mjs",
    url: `${baseURL}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: process.env.STROP_E2E_PORT,
      STROP_DATA_DIR: process.env.STROP_E2E_DATA_DIR,
      NEXTAUTH_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: "1",
      STROP_EGRESS_ALLOW: process.env.STROP_EGRESS_ALLOW,
    },
  },
});
