// Readiness (/api/ready): can this instance do its work? The database answers, every committed migration
// is applied, and Redis answers when REDIS_URL is set. Each check has a deadline, so a probe never hangs;
// answers name what is wrong without addresses or credentials (the route has no authentication).
import { appliedMigrations, databaseUrl, getDb, migrationsRoot, providerOf } from "@/lib/db";
import { readMigrations } from "@/lib/db/migrate";
import { connectRedis, type RedisClient } from "@/lib/llm/gateway/redis";

export type CheckResult = { ok: true; detail?: string } | { ok: false; problem: string };

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

const DEADLINE_MS = 2_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${DEADLINE_MS} ms`)),
      DEADLINE_MS,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function checkDatabase(): Promise<CheckResult[]> {
  const url = databaseUrl();
  try {
    const db = await within(getDb(), "the database");
    await within(db.$queryRawUnsafe("SELECT 1"), "the database");
    // A database no migration ever touched has no _prisma_migrations table: nothing is applied.
    const applied = new Set(await within(appliedMigrations(db), "the database").catch(() => [] as string[]));
    const pending = readMigrations(providerOf(url), migrationsRoot()).filter((m) => !applied.has(m.name));
    return [
      { ok: true, detail: providerOf(url) },
      pending.length === 0
        ? { ok: true, detail: `${applied.size} applied` }
        : {
            ok: false,
            problem: `${pending.length} migration(s) not applied: ${pending.map((m) => m.name).join(", ")}`,
          },
    ];
  } catch (error) {
    const problem = /did not answer/.test((error as Error).message)
      ? (error as Error).message
      : "unreachable";
    return [
      { ok: false, problem },
      { ok: false, problem: "unknown (no database)" },
    ];
  }
}

// One connection for every probe of this process, opened on the first.
const holder = globalThis as typeof globalThis & { __stropReadyRedis?: { url: string; client: RedisClient } };

async function checkRedis(url: string): Promise<CheckResult> {
  if (holder.__stropReadyRedis?.url !== url) holder.__stropReadyRedis = { url, client: connectRedis(url) };
  try {
    await within(holder.__stropReadyRedis.client.get("strop:ready"), "Redis");
    return { ok: true };
  } catch (error) {
    const problem = /did not answer/.test((error as Error).message)
      ? (error as Error).message
      : "unreachable";
    return { ok: false, problem };
  }
}

export async function checkReadiness(
  env: Record<string, string | undefined> = process.env,
): Promise<Readiness> {
  const redisUrl = env.REDIS_URL?.trim();
  const [[database, migrations], redis] = await Promise.all([
    checkDatabase(),
    redisUrl ? checkRedis(redisUrl) : Promise.resolve(undefined),
  ]);
  const checks: Record<string, CheckResult> = {
    database: database as CheckResult,
    migrations: migrations as CheckResult,
  };
  if (redis) checks.redis = redis;
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
