// How a provider credential becomes the variables a provider file reads (lib/llm/providers/*.ts), and
// which of the server's environment variables the app may hand to providers at all.
//
// The app never passes its whole environment to a provider: only the providers' standard variables
// (or the operator's own list in STROP_PROVIDER_ENV), so nothing a configuration writes can turn
// NEXTAUTH_SECRET or DATABASE_URL into an API key (docs/security.md).
import type { Env } from "@/lib/llm/providers/index";
import { SERVICE_ACCOUNT_KEY_ENV } from "@/lib/llm/providers/vertex";
import type { CredentialInput, CredentialProvider } from "@/lib/validation/ml-settings";

interface ProviderEnvSpec {
  /** Any of these set in the environment means the environment configures the provider. */
  primary: readonly string[];
  /** Every variable of the provider: a stored credential replaces all of them. */
  all: readonly string[];
  toEnv(credential: CredentialInput): Env;
  /** The endpoint a credential is bound to; null: the provider's own. */
  endpoint(credential: CredentialInput): string | null;
}

// The variables each provider file reads.
export const PROVIDER_ENV: Record<CredentialProvider, ProviderEnvSpec> = {
  openai: {
    primary: ["OPENAI_API_KEY"],
    all: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
    toEnv: (c) => {
      const { apiKey, baseURL } = c as CredentialInput<"openai">;
      return { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: baseURL };
    },
    endpoint: (c) => (c as CredentialInput<"openai">).baseURL ?? null,
  },
  anthropic: {
    primary: ["ANTHROPIC_API_KEY"],
    all: ["ANTHROPIC_API_KEY"],
    toEnv: (c) => ({ ANTHROPIC_API_KEY: (c as CredentialInput<"anthropic">).apiKey }),
    endpoint: () => null,
  },
  vertex: {
    primary: ["GOOGLE_VERTEX_PROJECT", "GOOGLE_VERTEX_API_KEY"],
    all: [
      "GOOGLE_VERTEX_PROJECT",
      "GOOGLE_VERTEX_LOCATION",
      "GOOGLE_APPLICATION_CREDENTIALS",
      "GOOGLE_VERTEX_API_KEY",
      SERVICE_ACCOUNT_KEY_ENV,
    ],
    toEnv: (c) => {
      const { project, location, serviceAccountJson } = c as CredentialInput<"vertex">;
      return {
        GOOGLE_VERTEX_PROJECT: project,
        GOOGLE_VERTEX_LOCATION: location,
        [SERVICE_ACCOUNT_KEY_ENV]: serviceAccountJson,
      };
    },
    endpoint: () => null,
  },
  "openai-compatible": {
    primary: ["OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_API_KEY"],
    all: ["OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_API_KEY"],
    toEnv: (c) => {
      const { baseURL, apiKey } = c as CredentialInput<"openai-compatible">;
      return { OPENAI_COMPATIBLE_BASE_URL: baseURL, OPENAI_COMPATIBLE_API_KEY: apiKey };
    },
    endpoint: (c) => (c as CredentialInput<"openai-compatible">).baseURL,
  },
};

/** The providers' standard variables: what the app honours from its environment by default. */
export const STANDARD_PROVIDER_VARIABLES: readonly string[] = Object.values(PROVIDER_ENV).flatMap(
  (spec) => spec.all,
);

export const PROVIDER_ENV_SETTING = "STROP_PROVIDER_ENV";

/**
 * The names in STROP_PROVIDER_ENV: unset → the standard variables; "none" → nothing (only stored
 * credentials); else a comma-separated list, which must name standard variables only (a provider reads
 * nothing else, and a typo should not pass silently).
 */
export function allowedProviderVariables(env: Env = process.env): readonly string[] {
  const raw = env[PROVIDER_ENV_SETTING]?.trim();
  if (!raw) return STANDARD_PROVIDER_VARIABLES;
  if (raw.toLowerCase() === "none") return [];
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !STANDARD_PROVIDER_VARIABLES.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `${PROVIDER_ENV_SETTING} names ${unknown.join(", ")}, which no provider reads; allowed: ` +
        `${STANDARD_PROVIDER_VARIABLES.join(", ")}, or "none"`,
    );
  }
  return names;
}

/** The part of the server's environment the app may hand to providers. */
export function serverProviderEnv(env: Env = process.env): Env {
  const out: Env = {};
  for (const name of allowedProviderVariables(env)) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

/** Whether `env` configures `provider` (then it wins over the provider's default stored credential). */
export function environmentConfigures(provider: CredentialProvider, env: Env): boolean {
  return PROVIDER_ENV[provider].primary.some((name) => Boolean(env[name]?.trim()));
}
