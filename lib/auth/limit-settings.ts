// The operator's settings for sign-in limits and API rate limits (environment variables), with their
// defaults. A bad value is reported at start-up (instrumentation.ts) and replaced by its default, so a
// typo never turns a limit off.
import type { LockoutPolicy, TokenBucketPolicy } from "@/lib/core/rate-limit";
import { type Env, parseTrustedProxyHops, TRUSTED_PROXY_HOPS_ENV } from "./client-address";

export interface SettingDefinition {
  name: string;
  default: number;
  /** Smallest accepted value (0 where 0 turns the limit off). */
  min: number;
  description: string;
}

export const LIMIT_SETTINGS = {
  apiKeyPerMinute: {
    name: "STROP_API_RATE_LIMIT_KEY_PER_MINUTE",
    default: 600,
    min: 0,
    description: "requests per minute per API key, sustained (0: no limit)",
  },
  apiKeyBurst: {
    name: "STROP_API_RATE_LIMIT_KEY_BURST",
    default: 100,
    min: 1,
    description: "requests an API key may make back to back",
  },
  userPerMinute: {
    name: "STROP_API_RATE_LIMIT_USER_PER_MINUTE",
    default: 600,
    min: 0,
    description: "API requests per minute per signed-in user, sustained (0: no limit)",
  },
  userBurst: {
    name: "STROP_API_RATE_LIMIT_USER_BURST",
    default: 100,
    min: 1,
    description: "API requests a signed-in user may make back to back",
  },
  accountFreeFailures: {
    name: "STROP_SIGN_IN_FREE_FAILURES_PER_ACCOUNT",
    default: 5,
    min: 1,
    description: "failed sign-ins per account before lockouts start",
  },
  addressFreeFailures: {
    name: "STROP_SIGN_IN_FREE_FAILURES_PER_IP",
    default: 20,
    min: 1,
    description: "failed sign-ins per client IP address before lockouts start",
  },
  maxLockoutSeconds: {
    name: "STROP_SIGN_IN_MAX_LOCKOUT_SECONDS",
    default: 900,
    min: 30,
    description: "longest sign-in lockout (they start at 30 s and double per failure)",
  },
} as const satisfies Record<string, SettingDefinition>;

type SettingKey = keyof typeof LIMIT_SETTINGS;

function readSetting(env: Env, setting: SettingDefinition): number | Error {
  const raw = env[setting.name]?.trim();
  if (!raw) return setting.default;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < setting.min) {
    return new Error(
      `${setting.name} must be a whole number >= ${setting.min} (${setting.description}); got ${JSON.stringify(raw)}, using ${setting.default}`,
    );
  }
  return value;
}

/** Every bad limit setting in `env`, as messages naming the variable (empty when all are fine). */
export function limitSettingProblems(env: Env = process.env): string[] {
  return Object.values(LIMIT_SETTINGS)
    .map((setting) => readSetting(env, setting))
    .filter((value): value is Error => value instanceof Error)
    .map((error) => error.message);
}

/** The limit settings' problems plus STROP_TRUSTED_PROXY_HOPS's: what start-up reports. */
export function securitySettingProblems(env: Env = process.env): string[] {
  const hops = parseTrustedProxyHops(env[TRUSTED_PROXY_HOPS_ENV]);
  return [
    ...(hops instanceof Error ? [`${hops.message}; trusting no proxy`] : []),
    ...limitSettingProblems(env),
  ];
}

function settingValues(env: Env): Record<SettingKey, number> {
  const values = {} as Record<SettingKey, number>;
  for (const [key, setting] of Object.entries(LIMIT_SETTINGS) as [SettingKey, SettingDefinition][]) {
    const value = readSetting(env, setting);
    values[key] = value instanceof Error ? setting.default : value;
  }
  return values;
}

export interface ApiRateLimitSettings {
  /** null: no limit. */
  apiKey: TokenBucketPolicy | null;
  user: TokenBucketPolicy | null;
}

export function apiRateLimitSettings(env: Env = process.env): ApiRateLimitSettings {
  const v = settingValues(env);
  const bucket = (perMinute: number, burst: number): TokenBucketPolicy | null =>
    perMinute === 0 ? null : { capacity: burst, refillPerSecond: perMinute / 60 };
  return { apiKey: bucket(v.apiKeyPerMinute, v.apiKeyBurst), user: bucket(v.userPerMinute, v.userBurst) };
}

export interface SignInLimitSettings {
  account: LockoutPolicy;
  address: LockoutPolicy;
}

/** Lockouts start at 30 s and double per failure; failures are forgotten a day after the last one. */
export const FIRST_LOCKOUT_MS = 30_000;
export const FORGET_FAILURES_AFTER_MS = 24 * 60 * 60_000;

export function signInLimitSettings(env: Env = process.env): SignInLimitSettings {
  const v = settingValues(env);
  const policy = (freeFailures: number): LockoutPolicy => ({
    freeFailures,
    baseLockoutMs: FIRST_LOCKOUT_MS,
    maxLockoutMs: v.maxLockoutSeconds * 1000,
    forgetAfterMs: FORGET_FAILURES_AFTER_MS,
  });
  return { account: policy(v.accountFreeFailures), address: policy(v.addressFreeFailures) };
}
