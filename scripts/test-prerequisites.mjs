// What `npm test` needs besides node_modules, checked (and brought up where it can be) before anything
// runs: the PostgreSQL and Redis servers of the integration tests, and Chromium for the browser tests.
// A server that is down is started the way Debian machines (CI included) start it; Chromium is installed
// with apt-get when running as root. Whatever is still missing stops the run at once with the exact
// command to type. The probes are injected, so the decisions are tested without touching real services.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import net from "node:net";

export const DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Host and port of a server URL (the scheme's default port when none is given). */
export function serverAddress(url, defaultPort) {
  const parsed = new URL(url);
  return { host: parsed.hostname || "127.0.0.1", port: Number(parsed.port) || defaultPort };
}

/** The probes against the real machine. */
export const machine = {
  reachable: (host, port, timeoutMs = 1_000) =>
    new Promise((resolve) => {
      const socket = net.connect({ host: host.replace(/^\[|\]$/g, ""), port });
      const done = (ok) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
    }),
  hasCommand: (name) => spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0,
  exists: (file) => existsSync(file),
  isRoot: () => process.getuid?.() === 0,
  /** Installed PostgreSQL versions, oldest first ("9.6" before "16"). */
  postgresVersions: () =>
    existsSync("/etc/postgresql")
      ? readdirSync("/etc/postgresql").sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b))
      : [],
  run: (command, args, extraEnv = {}) =>
    spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } }).status === 0,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Waits up to `attempts` × 500 ms for the server to answer. */
async function cameUp(probes, host, port, attempts = 20) {
  for (let i = 0; i < attempts; i++) {
    if (await probes.reachable(host, port)) return true;
    await probes.sleep(500);
  }
  return false;
}

async function ensurePostgres(env, probes, log) {
  const url = env.STROP_TEST_PG_URL || DEFAULT_PG_URL;
  const { host, port } = serverAddress(url, 5432);
  if (await probes.reachable(host, port)) return null;
  const version = probes.postgresVersions().at(-1);
  const start = version && ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"];
  if (LOCAL_HOSTS.has(host) && start && probes.hasCommand("pg_ctlcluster")) {
    log(`PostgreSQL is not answering at ${host}:${port}: ${start.join(" ")}`);
    if (probes.run(start[0], start.slice(1)) && (await cameUp(probes, host, port))) return null;
  }
  return {
    what: `PostgreSQL at ${host}:${port} (STROP_TEST_PG_URL)`,
    fix:
      LOCAL_HOSTS.has(host) && start
        ? start.join(" ")
        : `start the PostgreSQL server at ${host}:${port} (the postgres user, no password), or set STROP_TEST_PG_URL`,
  };
}

async function ensureRedis(env, probes, log) {
  const url = env.REDIS_URL || DEFAULT_REDIS_URL;
  const { host, port } = serverAddress(url, 6379);
  if (await probes.reachable(host, port)) return null;
  const start = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    String(port),
    "--save",
    "",
    "--appendonly",
    "no",
  ];
  if (LOCAL_HOSTS.has(host) && probes.hasCommand("redis-server")) {
    log(`Redis is not answering at ${host}:${port}: starting redis-server`);
    if (probes.run(start[0], start.slice(1)) && (await cameUp(probes, host, port))) return null;
  }
  return {
    what: `Redis at ${host}:${port} (REDIS_URL)`,
    fix: LOCAL_HOSTS.has(host)
      ? `${start.slice(0, 7).join(" ")} --save "" --appendonly no`
      : `start the Redis server at ${url}, or set REDIS_URL`,
  };
}

async function ensureChromium(env, probes, log) {
  const chromium = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (probes.exists(chromium)) return null;
  const install = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium";
  // Only the default path can be filled by the package; a CHROMIUM_PATH elsewhere is the user's.
  if (!env.CHROMIUM_PATH && probes.isRoot() && probes.hasCommand("apt-get")) {
    log(`Chromium is missing (${chromium}): ${install}`);
    const installed =
      probes.run("apt-get", ["update"]) &&
      probes.run("apt-get", ["install", "-y", "chromium"], { DEBIAN_FRONTEND: "noninteractive" });
    if (installed && probes.exists(chromium)) return null;
  }
  return {
    what: `Chromium at ${chromium} (CHROMIUM_PATH) for the browser tests`,
    fix: env.CHROMIUM_PATH
      ? `point CHROMIUM_PATH at a Chromium binary (now ${env.CHROMIUM_PATH}), or unset it to use ${DEFAULT_CHROMIUM}`
      : `sudo sh -c '${install}'   (or set CHROMIUM_PATH; STROP_E2E=0 skips the browser tests)`,
  };
}

/**
 * Checks (and where it can, starts or installs) what the suite needs. Returns what is still missing,
 * each with the command that fixes it; empty when everything is there.
 * @param {{ env?: Record<string, string | undefined>, probes?: typeof machine, browser?: boolean,
 *   log?: (line: string) => void }} [options]
 * @returns {Promise<{ what: string, fix: string }[]>}
 */
export async function ensureTestPrerequisites({
  env = process.env,
  probes = machine,
  browser = true,
  log = console.log,
} = {}) {
  const missing = [
    await ensurePostgres(env, probes, log),
    await ensureRedis(env, probes, log),
    browser ? await ensureChromium(env, probes, log) : null,
  ];
  return missing.filter((problem) => problem !== null);
}
