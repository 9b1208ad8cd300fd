// `npm test` brings up what it needs or stops with the command to run: the decisions of
// scripts/test-prerequisites.mjs against fake probes (no real server is stopped or started here).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureTestPrerequisites } from "./test-prerequisites.mjs";

interface FakeMachine {
  up?: string[];
  commands?: string[];
  files?: string[];
  root?: boolean;
  postgresVersions?: string[];
  /** What a command brings up when it runs: "host:port" or a file. */
  effects?: Record<string, string>;
}

function fakeMachine(spec: FakeMachine) {
  const up = new Set(spec.up ?? []);
  const files = new Set(spec.files ?? []);
  const ran: string[] = [];
  const probes = {
    reachable: async (host: string, port: number) => up.has(`${host}:${port}`),
    hasCommand: (name: string) => (spec.commands ?? []).includes(name),
    exists: (file: string) => files.has(file),
    isRoot: () => spec.root ?? false,
    postgresVersions: () => spec.postgresVersions ?? [],
    run: (command: string, args: string[], env: Record<string, string> = {}) => {
      const line = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args].join(" ");
      ran.push(line);
      const effect = spec.effects?.[command];
      if (effect?.startsWith("/")) files.add(effect);
      else if (effect) up.add(effect);
      return effect !== undefined;
    },
    sleep: async () => {},
  };
  return { probes, ran };
}

const ALL_UP = ["127.0.0.1:5432", "127.0.0.1:6379"];
const check = (machine: ReturnType<typeof fakeMachine>, env: Record<string, string> = {}, browser = true) =>
  ensureTestPrerequisites({ env, probes: machine.probes, browser, log: () => {} });

describe("test prerequisites", () => {
  it("passes without touching anything when PostgreSQL, Redis and Chromium are there", async () => {
    const machine = fakeMachine({ up: ALL_UP, files: ["/usr/bin/chromium"], commands: ["pg_ctlcluster"] });
    expect(await check(machine)).toEqual([]);
    expect(machine.ran).toEqual([]);
  });

  it("starts a local PostgreSQL cluster that is down, as CI machines do", async () => {
    const machine = fakeMachine({
      up: ["127.0.0.1:6379"],
      files: ["/usr/bin/chromium"],
      commands: ["pg_ctlcluster"],
      postgresVersions: ["15", "16"],
      effects: { pg_ctlcluster: "127.0.0.1:5432" },
    });
    expect(await check(machine)).toEqual([]);
    expect(machine.ran).toEqual(["pg_ctlcluster --skip-systemctl-redirect 16 main start"]);
  });

  it("stops with the exact command when PostgreSQL does not come up", async () => {
    const machine = fakeMachine({
      up: ["127.0.0.1:6379"],
      files: ["/usr/bin/chromium"],
      postgresVersions: ["16"],
    });
    expect(await check(machine)).toEqual([
      {
        what: "PostgreSQL at 127.0.0.1:5432 (STROP_TEST_PG_URL)",
        fix: "pg_ctlcluster --skip-systemctl-redirect 16 main start",
      },
    ]);
    expect(machine.ran).toEqual([]); // no pg_ctlcluster on this machine: nothing to try
  });

  it("never tries to start a server at another host: it names the URL's host and the variable", async () => {
    const machine = fakeMachine({
      up: ["127.0.0.1:5432"],
      files: ["/usr/bin/chromium"],
      commands: ["pg_ctlcluster", "redis-server"],
      postgresVersions: ["16"],
    });
    const missing = await check(machine, {
      STROP_TEST_PG_URL: "postgresql://ci@db.internal:5433/test",
      REDIS_URL: "redis://cache.internal:6380",
    });
    expect(missing.map((m) => m.what)).toEqual([
      "PostgreSQL at db.internal:5433 (STROP_TEST_PG_URL)",
      "Redis at cache.internal:6380 (REDIS_URL)",
    ]);
    expect(missing[0]?.fix).toContain("or set STROP_TEST_PG_URL");
    expect(missing[1]?.fix).toContain("or set REDIS_URL");
    expect(machine.ran).toEqual([]);
  });

  it("starts Redis on REDIS_URL's port, or names the command that does", async () => {
    const started = fakeMachine({
      up: ["127.0.0.1:5432"],
      files: ["/usr/bin/chromium"],
      commands: ["redis-server"],
      effects: { "redis-server": "127.0.0.1:6390" },
    });
    expect(await check(started, { REDIS_URL: "redis://127.0.0.1:6390" })).toEqual([]);
    expect(started.ran).toEqual([
      "redis-server --daemonize yes --bind 127.0.0.1 --port 6390 --save  --appendonly no",
    ]);

    const absent = fakeMachine({ up: ["127.0.0.1:5432"], files: ["/usr/bin/chromium"] });
    expect(await check(absent)).toEqual([
      {
        what: "Redis at 127.0.0.1:6379 (REDIS_URL)",
        fix: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
      },
    ]);
  });

  it("installs Chromium with apt-get as root; otherwise names the command", async () => {
    const root = fakeMachine({
      up: ALL_UP,
      root: true,
      commands: ["apt-get"],
      effects: { "apt-get": "/usr/bin/chromium" },
    });
    expect(await check(root)).toEqual([]);
    expect(root.ran).toEqual([
      "apt-get update",
      "DEBIAN_FRONTEND=noninteractive apt-get install -y chromium",
    ]);

    const user = fakeMachine({ up: ALL_UP, commands: ["apt-get"] });
    const [missing] = await check(user);
    expect(missing?.what).toBe("Chromium at /usr/bin/chromium (CHROMIUM_PATH) for the browser tests");
    expect(missing?.fix).toContain(
      "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium",
    );
    expect(user.ran).toEqual([]);
  });

  it("takes CHROMIUM_PATH as given, and skips Chromium when no browser test runs", async () => {
    const machine = fakeMachine({
      up: ALL_UP,
      root: true,
      commands: ["apt-get"],
      files: ["/opt/chrome/chrome"],
    });
    expect(await check(machine, { CHROMIUM_PATH: "/opt/chrome/chrome" })).toEqual([]);
    const [missing] = await check(machine, { CHROMIUM_PATH: "/opt/missing/chrome" });
    expect(missing?.fix).toContain("point CHROMIUM_PATH at a Chromium binary");
    expect(await check(fakeMachine({ up: ALL_UP }), {}, false)).toEqual([]);
    expect(machine.ran).toEqual([]);
  });
});

describe("npm test without its servers", () => {
  it("stops before lint with the commands to run and the summary line CI reads", () => {
    // Servers at a documentation address (TEST-NET-1) that never answers: nothing is started.
    const run = spawnSync(process.execPath, [path.join(import.meta.dirname, "test-all.mjs")], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: {
        ...process.env,
        STROP_TEST_PG_URL: "postgresql://postgres@192.0.2.1:5432/test",
        REDIS_URL: "redis://192.0.2.1:6379",
        STROP_E2E: "0",
      },
      encoding: "utf8",
      timeout: 20_000,
    });
    const lines = run.stdout.trim().split("\n");
    expect(run.status).toBe(1);
    expect(lines.at(-1)).toBe("0 passed, 2 failed");
    expect(run.stdout).toContain("PostgreSQL at 192.0.2.1:5432");
    expect(run.stdout).toContain("Redis at 192.0.2.1:6379");
    expect(run.stdout).not.toContain("▶ lint");
  });
});
