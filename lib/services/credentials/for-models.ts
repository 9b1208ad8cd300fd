// Which credentials and endpoints a run's or a batch's models call with — decided by who wrote the
// configuration:
// - "operator": a task file run by the machine's own user (`strop optimize|eval|batch`). The whole
//   environment is theirs: task-file `baseURL` and `apiKeyEnv` are honoured.
// - "project": anything stored through the app or the API (editors, API keys). Only the providers'
//   standard variables of the server's environment are used (STROP_PROVIDER_ENV), a configuration
//   cannot choose an endpoint or a variable, and endpoints come from credentials an admin stored.
// In both cases a stored credential's key goes only to the endpoint stored with it.
import { InputError } from "@/lib/core/errors";
import type { Db } from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import { type Env, providers } from "@/lib/llm/providers/index";
import type { ModelConfig } from "@/lib/validation/task-file";
import { environmentConfigures, PROVIDER_ENV, serverProviderEnv } from "./provider-env";
import { decryptProjectCredentials, isCredentialProvider, type StoredCredential } from "./stored";

export type ConfigAuthor = "operator" | "project";

/** What the gateway needs: an environment per model id, and one for every other model id. */
export interface ProviderCredentials {
  /** For model ids without an entry of their own (e.g. a judge metric's model named by id). */
  env: Env;
  /** Per model id; the gateway builds that model from it alone. */
  models: Record<string, Env>;
}

/** A model reference that cannot be used as written; `path` names the field (e.g. "models.task.credential"). */
export class CredentialProblem extends InputError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`, { issues: [{ in: "body", path, message: reason }] });
    this.name = "CredentialProblem";
  }
}

export const ENDPOINT_CHOSEN_BY_CONFIG =
  "a configuration stored in the app cannot choose an endpoint or an environment variable: name a " +
  "provider credential (`credential`), which an admin binds to its endpoint";

export interface ModelToResolve {
  /** Where the model is in the caller's input, for messages: "models.task", "model", … */
  path: string;
  model: ModelConfig;
}

export interface ResolveOptions {
  author: ConfigAuthor;
  /** The server's environment (default process.env). */
  env?: Env;
  onWarning?: (message: string) => void;
}

/** The provider-default credentials (named after their provider) fill in what `base` does not configure. */
function withDefaultCredentials(base: Env, stored: Map<string, StoredCredential>): Env {
  const merged: Env = { ...base };
  for (const credential of stored.values()) {
    if (credential.name !== credential.provider || environmentConfigures(credential.provider, base)) continue;
    const spec = PROVIDER_ENV[credential.provider];
    for (const name of spec.all) delete merged[name];
    for (const [name, value] of Object.entries(spec.toEnv(credential.settings)))
      if (value !== undefined) merged[name] = value;
  }
  return merged;
}

/** The environment of one model that names a stored credential: that credential's variables only. */
function namedCredentialEnv(entry: ModelToResolve, stored: Map<string, StoredCredential>): Env {
  const { path, model } = entry;
  const name = model.credential!;
  const credential = stored.get(name);
  if (!credential)
    throw new CredentialProblem(`${path}.credential`, `no usable credential named "${name}" in this project`);
  const { provider } = parseModelId(model.id);
  if (credential.provider !== provider) {
    throw new CredentialProblem(
      `${path}.credential`,
      `"${name}" is a ${credential.provider} credential; the model "${model.id}" needs a ${provider} one`,
    );
  }
  if (model.baseURL !== undefined || model.apiKeyEnv !== undefined) {
    throw new CredentialProblem(
      `${path}.${model.baseURL !== undefined ? "baseURL" : "apiKeyEnv"}`,
      "a stored credential is bound to its own endpoint and key: leave baseURL and apiKeyEnv out",
    );
  }
  return PROVIDER_ENV[credential.provider].toEnv(credential.settings);
}

/** The models of a run's config, with the paths a run spec names them by. */
export function runModels(config: {
  models: { task: ModelConfig; optimizer: ModelConfig };
}): ModelToResolve[] {
  return [
    { path: "models.task", model: config.models.task },
    { path: "models.optimizer", model: config.models.optimizer },
  ];
}

/**
 * Resolves the credentials of `models` in project `projectId`, or throws a CredentialProblem naming the
 * field. Decrypts only what it returns; never logs a value.
 */
export async function resolveProviderCredentials(
  db: Db,
  projectId: string,
  models: readonly ModelToResolve[],
  options: ResolveOptions,
): Promise<ProviderCredentials> {
  const env = options.env ?? process.env;
  const warn = options.onWarning ?? ((message: string) => console.warn(`strop: ${message}`));
  if (options.author === "project") {
    for (const { path, model } of models) {
      if (model.baseURL !== undefined)
        throw new CredentialProblem(`${path}.baseURL`, ENDPOINT_CHOSEN_BY_CONFIG);
      if (model.apiKeyEnv !== undefined)
        throw new CredentialProblem(`${path}.apiKeyEnv`, ENDPOINT_CHOSEN_BY_CONFIG);
    }
  }
  const stored = await decryptProjectCredentials(db, projectId, warn);
  const server = options.author === "operator" ? env : serverProviderEnv(env);
  const resolved: ProviderCredentials = { env: withDefaultCredentials(server, stored), models: {} };
  for (const entry of models) {
    const { model } = entry;
    if (resolved.models[model.id] !== undefined) continue; // one gateway entry per id: the first wins
    if (model.credential !== undefined) resolved.models[model.id] = namedCredentialEnv(entry, stored);
    // A task file's own endpoint or key variable (operators only): the environment as it is, without
    // stored credentials — a stored key never goes to an endpoint it was not stored with.
    else if (model.baseURL !== undefined || model.apiKeyEnv !== undefined) resolved.models[model.id] = env;
  }
  return resolved;
}

/**
 * Builds each model the way the gateway will, so that a missing credential fails before anything is
 * queued, naming the field and the variable or credential to set.
 */
export function checkModelsBuild(models: readonly ModelToResolve[], credentials: ProviderCredentials): void {
  for (const { path, model } of models) {
    const { provider, modelName } = parseModelId(model.id);
    try {
      providers[provider].languageModel({
        modelName,
        baseURL: model.baseURL,
        apiKeyEnv: model.apiKeyEnv,
        env: credentials.models[model.id] ?? credentials.env,
      });
    } catch (error) {
      const reason = (error as Error).message;
      const hint = isCredentialProvider(provider)
        ? ` (or store a "${provider}" credential in the project's settings)`
        : "";
      throw new CredentialProblem(
        model.credential !== undefined ? `${path}.credential` : path,
        reason + hint,
      );
    }
  }
}
