// Credential lookup shared by the provider files. Keys are read when a model is built (first use),
// never at import, and never logged.
import type { Env, ProviderModelOptions } from "./types";

/** A required credential or setting is missing; names the environment variable to set. */
export class MissingCredentialError extends Error {
  constructor(
    readonly provider: string,
    readonly envVar: string,
    hint = "",
  ) {
    super(`Missing credential for provider "${provider}": set the ${envVar} environment variable${hint}`);
    this.name = "MissingCredentialError";
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function readEnv(env: Env, name: string): string | undefined {
  return nonEmpty(env[name]);
}

/**
 * The API key for a model: the explicit key, else the variable named by `apiKeyEnv`, else the provider's
 * default variable. Returns undefined when nothing is set (callers decide whether that is an error).
 */
export function findApiKey(
  options: ProviderModelOptions,
  defaultEnvVar: string,
): { key: string | undefined; envVar: string } {
  const envVar = options.apiKeyEnv ?? defaultEnvVar;
  return { key: nonEmpty(options.apiKey) ?? readEnv(options.env, envVar), envVar };
}

export function requireApiKey(
  options: ProviderModelOptions,
  provider: string,
  defaultEnvVar: string,
): string {
  const { key, envVar } = findApiKey(options, defaultEnvVar);
  if (key === undefined) throw new MissingCredentialError(provider, envVar);
  return key;
}
