// "Test connection": one minimal real call (a few output tokens, no retries, no cache) through the gateway
// with a stored credential alone — its own key to its own endpoint, never the server's environment. A
// failing call is a result (`ok: false` with the provider's status and parsed message, no secret and no
// raw response body), not an error.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { type Db, listModelConfigs } from "@/lib/db";
import { redact } from "@/lib/llm/errors";
import { createLlm } from "@/lib/llm/gateway";
import { parseModelId } from "@/lib/llm/model-id";
import type { CredentialProvider } from "@/lib/validation/ml-settings";
import { PROVIDER_ENV } from "./provider-env";
import { credentialSecrets, decryptProjectCredentials } from "./stored";

export interface ConnectionTestResult {
  ok: boolean;
  name: string;
  provider: CredentialProvider;
  model: string;
  latencyMs: number;
  error: string | null;
}

/** A model name for the test when the project has no model configuration of the provider. */
const DEFAULT_TEST_MODELS: Record<CredentialProvider, string> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  vertex: "gemini-2.0-flash",
  "openai-compatible": "llama3.2",
};

const TEST_TIMEOUT_MS = 20_000;
const MAX_ERROR_LENGTH = 500;

/** The model asked for, else one of a configuration using this credential (or its provider), else a default. */
async function testModelName(
  db: Db,
  projectId: string,
  name: string,
  provider: CredentialProvider,
  asked?: string,
) {
  if (asked) return asked.startsWith(`${provider}:`) ? asked.slice(provider.length + 1) : asked;
  const configs = await listModelConfigs(db, projectId);
  const ordered = [...configs.filter((c) => c.credential === name), ...configs];
  for (const config of ordered) {
    try {
      const id = parseModelId(config.modelId);
      if (id.provider === provider) return id.modelName;
    } catch {
      // not a usable id: skip it
    }
  }
  return DEFAULT_TEST_MODELS[provider];
}

export async function testProjectCredential(
  db: Db,
  access: ProjectAccess,
  name: string,
  body: { model?: string } | undefined,
): Promise<ConnectionTestResult> {
  const projectId = access.project.id;
  const problems: string[] = [];
  const stored = (await decryptProjectCredentials(db, projectId, (m) => problems.push(m), name)).get(name);
  if (!stored && problems.length === 0) {
    throw new NotFoundError(`no credential named "${name}" is stored in this project`);
  }
  const provider = stored?.provider ?? (name as CredentialProvider);
  const model = await testModelName(db, projectId, name, provider, body?.model);
  const result = (ok: boolean, latencyMs: number, error: string | null): ConnectionTestResult => ({
    ok,
    name,
    provider,
    model,
    latencyMs: Math.round(latencyMs),
    error,
  });
  if (!stored) return result(false, 0, problems[0] ?? "the stored credential cannot be used");

  const secrets = credentialSecrets(stored.settings);
  const llm = createLlm({
    env: PROVIDER_ENV[stored.provider].toEnv(stored.settings),
    maxRetries: 0,
    timeoutMs: TEST_TIMEOUT_MS,
    onWarning: () => {},
  });
  const started = performance.now();
  try {
    await llm.generate({
      model: `${stored.provider}:${model}`,
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
