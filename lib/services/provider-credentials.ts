// Provider credentials of a project: set, replace and remove (admins), statuses (everyone: set or not,
// a fingerprint, who and when — never a value), a connection test, and their use by runs: when the
// server's environment does not configure a provider, the project's stored credential does.
// Nothing here logs a credential or puts one in an error.
import {
  credentialAssociatedData,
  credentialEncryptionKey,
  credentialFingerprint,
  decryptCredential,
  encryptCredential,
} from "@/lib/auth/credential-encryption";
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  listCredentialStatuses,
  listEncryptedCredentials,
  listModelConfigs,
  removeProviderCredential,
  storeProviderCredential,
} from "@/lib/db";
import { redact } from "@/lib/llm/errors";
import { createLlm } from "@/lib/llm/gateway";
import { parseModelId } from "@/lib/llm/model-id";
import type { Env } from "@/lib/llm/providers/index";
import { SERVICE_ACCOUNT_KEY_ENV } from "@/lib/llm/providers/vertex";
import {
  CREDENTIAL_PROVIDERS,
  type CredentialInput,
  type CredentialProvider,
  credentialInputSchemas,
} from "@/lib/validation/ml-settings";
import { parseInput } from "@/lib/validation/parse";

export interface CredentialStatus {
  provider: CredentialProvider;
  set: boolean;
  fingerprint: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
  /** The server's environment configures the provider: runs use it, not the stored credential. */
  environment: boolean;
}

interface ProviderEnvSpec {
  /** Any of these set in the environment means the environment configures the provider. */
  primary: readonly string[];
  /** Every variable of the provider: a stored credential replaces all of them. */
  all: readonly string[];
  toEnv(credential: CredentialInput): Env;
}

// The variables each provider file reads (lib/llm/providers/*.ts).
const PROVIDER_ENV: Record<CredentialProvider, ProviderEnvSpec> = {
  openai: {
    primary: ["OPENAI_API_KEY"],
    all: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
    toEnv: (c) => {
      const { apiKey, baseURL } = c as CredentialInput<"openai">;
      return { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: baseURL };
    },
  },
  anthropic: {
    primary: ["ANTHROPIC_API_KEY"],
    all: ["ANTHROPIC_API_KEY"],
    toEnv: (c) => ({ ANTHROPIC_API_KEY: (c as CredentialInput<"anthropic">).apiKey }),
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
  },
  "openai-compatible": {
    primary: ["OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_API_KEY"],
    all: ["OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_API_KEY"],
    toEnv: (c) => {
      const { baseURL, apiKey } = c as CredentialInput<"openai-compatible">;
      return { OPENAI_COMPATIBLE_BASE_URL: baseURL, OPENAI_COMPATIBLE_API_KEY: apiKey };
    },
  },
};

/** A model name for the connection test when the project has no model configuration of the provider. */
const DEFAULT_TEST_MODELS: Record<CredentialProvider, string> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  vertex: "gemini-2.0-flash",
  "openai-compatible": "llama3.2",
};

const isCredentialProvider = (value: string): value is CredentialProvider =>
  (CREDENTIAL_PROVIDERS as readonly string[]).includes(value);

/** Whether the environment configures `provider` (then it wins over a stored credential). */
export function environmentConfigures(provider: CredentialProvider, env: Env = process.env): boolean {
  return PROVIDER_ENV[provider].primary.some((name) => Boolean(env[name]?.trim()));
}

/** The plaintext that is encrypted and fingerprinted: the checked settings as JSON, keys sorted. */
function plaintextOf(credential: CredentialInput): string {
  const entries = Object.entries(credential).filter(([, v]) => v !== undefined);
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
}

/** Every secret-bearing value of a credential, to scrub from messages. */
function secretsOf(credential: CredentialInput): string[] {
  const values = Object.values(credential).filter((v): v is string => typeof v === "string" && v.length >= 6);
  if ("serviceAccountJson" in credential) {
    try {
      const account = JSON.parse(credential.serviceAccountJson) as Record<string, unknown>;
      for (const field of ["private_key", "private_key_id", "client_email", "client_id"]) {
        const value = account[field];
        if (typeof value === "string" && value.length >= 6) values.push(value);
      }
    } catch {
      // checked when stored
    }
  }
  return values.sort((a, b) => b.length - a.length);
}

export async function listProjectCredentials(db: Db, access: ProjectAccess): Promise<CredentialStatus[]> {
  const stored = new Map((await listCredentialStatuses(db, access.project.id)).map((s) => [s.provider, s]));
  return CREDENTIAL_PROVIDERS.map((provider) => {
    const status = stored.get(provider);
    return {
      provider,
      set: status !== undefined,
      fingerprint: status?.fingerprint ?? null,
      updatedAt: status?.updatedAt ?? null,
      updatedBy: status?.updatedBy ?? null,
      environment: environmentConfigures(provider),
    };
  });
}

export async function getProjectCredential(
  db: Db,
  access: ProjectAccess,
  provider: CredentialProvider,
): Promise<CredentialStatus> {
  const all = await listProjectCredentials(db, access);
  return all.find((s) => s.provider === provider)!;
}

/** Checks (400 naming the field), encrypts and stores the provider's settings; answers the status only. */
export async function setProjectCredential(
  db: Db,
  access: ProjectAccess,
  provider: CredentialProvider,
  body: unknown,
  actor: AuditActor,
): Promise<CredentialStatus> {
  const credential = parseInput("body", credentialInputSchemas[provider], body) as CredentialInput;
  const plaintext = plaintextOf(credential);
  const key = await credentialEncryptionKey(db);
  const status = await storeProviderCredential(
    db,
    {
      projectId: access.project.id,
      organizationId: access.project.organization.id,
      provider,
      ciphertext: encryptCredential(key, plaintext, credentialAssociatedData(access.project.id, provider)),
      fingerprint: credentialFingerprint(plaintext),
    },
    actor,
  );
  return {
    provider,
    set: true,
    fingerprint: status.fingerprint,
    updatedAt: status.updatedAt,
    updatedBy: status.updatedBy,
    environment: environmentConfigures(provider),
  };
}

export function removeProjectCredential(
  db: Db,
  access: ProjectAccess,
  provider: CredentialProvider,
  actor: AuditActor,
): Promise<void> {
  return removeProviderCredential(
    db,
    { projectId: access.project.id, organizationId: access.project.organization.id, provider },
    actor,
  );
}

/** The project's stored credentials, decrypted and checked; unusable ones are left out with a warning. */
async function decryptedCredentials(
  db: Db,
  projectId: string,
  warn: (message: string) => void,
): Promise<Map<CredentialProvider, CredentialInput>> {
  const rows = await listEncryptedCredentials(db, projectId);
  const out = new Map<CredentialProvider, CredentialInput>();
  if (rows.length === 0) return out;
  const key = await credentialEncryptionKey(db);
  for (const row of rows) {
    if (!isCredentialProvider(row.provider)) continue;
    try {
      const plaintext = decryptCredential(
        key,
        row.ciphertext,
        credentialAssociatedData(projectId, row.provider),
      );
      const parsed = credentialInputSchemas[row.provider].safeParse(JSON.parse(plaintext));
      if (!parsed.success) throw new Error("its stored settings are no longer valid");
      out.set(row.provider, parsed.data as CredentialInput);
    } catch (error) {
      // The messages of decryptCredential and the check above never contain the value.
      warn(
        `the stored ${row.provider} credential (${row.fingerprint}) cannot be used: ${(error as Error).message}`,
      );
    }
  }
  return out;
}

export interface ProviderEnvOptions {
  /** The environment the server runs with (default process.env): it wins per provider. */
  env?: Env;
  onWarning?: (message: string) => void;
}

/**
 * The environment a run of project `projectId` calls providers with: `env` (default process.env), plus,
 * for each provider the environment does not configure, the project's stored credential (decrypted).
 * Pass it to the gateway (`GatewayWiring.providerEnv`). Never log it.
 */
export async function projectProviderEnv(
  db: Db,
  projectId: string,
  options: ProviderEnvOptions = {},
): Promise<Env> {
  const base = options.env ?? process.env;
  const warn = options.onWarning ?? ((message: string) => console.warn(`strop: ${message}`));
  const stored = await decryptedCredentials(db, projectId, warn);
  const merged: Env = { ...base };
  for (const [provider, credential] of stored) {
    if (environmentConfigures(provider, base)) continue;
    const spec = PROVIDER_ENV[provider];
    for (const name of spec.all) delete merged[name];
    for (const [name, value] of Object.entries(spec.toEnv(credential)))
      if (value !== undefined) merged[name] = value;
  }
  return merged;
}

export interface ConnectionTestResult {
  ok: boolean;
  provider: CredentialProvider;
  model: string;
  latencyMs: number;
  error: string | null;
}

const TEST_TIMEOUT_MS = 20_000;
const MAX_ERROR_LENGTH = 500;

async function testModelName(db: Db, projectId: string, provider: CredentialProvider, asked?: string) {
  if (asked) return asked.startsWith(`${provider}:`) ? asked.slice(provider.length + 1) : asked;
  const configs = await listModelConfigs(db, projectId);
  for (const config of configs) {
    try {
      const id = parseModelId(config.modelId);
      if (id.provider === provider) return id.modelName;
    } catch {
      // not a usable id: skip it
    }
  }
  return DEFAULT_TEST_MODELS[provider];
}

/**
 * One minimal real call (a few output tokens, no retries, no cache) through the gateway with the stored
 * credential alone (not the server's environment). A failing call is a result (`ok: false` and the
 * provider's message without any secret), not an error.
 */
export async function testProjectCredential(
  db: Db,
  access: ProjectAccess,
  provider: CredentialProvider,
  body: { model?: string } | undefined,
): Promise<ConnectionTestResult> {
  const projectId = access.project.id;
  const rows = await listEncryptedCredentials(db, projectId);
  if (!rows.some((row) => row.provider === provider)) {
    throw new NotFoundError(`no ${provider} credential is stored in this project`);
  }
  const model = await testModelName(db, projectId, provider, body?.model);
  const result = (ok: boolean, latencyMs: number, error: string | null): ConnectionTestResult => ({
    ok,
    provider,
    model,
    latencyMs: Math.round(latencyMs),
    error,
  });
  const problems: string[] = [];
  const credential = (await decryptedCredentials(db, projectId, (m) => problems.push(m))).get(provider);
  if (!credential) return result(false, 0, problems[0] ?? "the stored credential cannot be used");

  const secrets = secretsOf(credential);
  const llm = createLlm({
    env: PROVIDER_ENV[provider].toEnv(credential),
    maxRetries: 0,
    timeoutMs: TEST_TIMEOUT_MS,
    onWarning: () => {},
  });
  const started = performance.now();
  try {
    await llm.generate({
      model: `${provider}:${model}`,
      messages: [{ role: "user", content: "Reply with the word OK." }],
      params: { maxOutputTokens: 5 },
      cache: "bypass",
    });
    return result(true, performance.now() - started, null);
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error), secrets);
    const clipped = message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
    return result(false, performance.now() - started, clipped);
  } finally {
    await llm.close();
  }
}
