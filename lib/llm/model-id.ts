// "provider:model" ids, e.g. "openai:gpt-4o-mini", "openai-compatible:llama3.2:3b", "sim:default".

export const PROVIDER_IDS = ["openai", "anthropic", "vertex", "openai-compatible", "sim"] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ModelId {
  /** The id as written, "provider:model". */
  id: string;
  provider: ProviderId;
  /** Everything after the first ":" (model names may contain ":", e.g. Ollama's "llama3.2:3b"). */
  modelName: string;
}

export class ModelIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelIdError";
  }
}

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/** Splits "provider:model" at the first ":"; throws `ModelIdError` naming the id when it is malformed. */
export function parseModelId(id: string): ModelId {
  const colon = id.indexOf(":");
  const known = PROVIDER_IDS.join(", ");
  if (colon <= 0) {
    throw new ModelIdError(
      `Invalid model id "${id}": expected "provider:model" (e.g. "openai:gpt-4o-mini"); known providers: ${known}`,
    );
  }
  const provider = id.slice(0, colon);
  const modelName = id.slice(colon + 1).trim();
  if (!isProviderId(provider)) {
    throw new ModelIdError(`Unknown provider "${provider}" in model id "${id}"; known providers: ${known}`);
  }
  if (modelName === "") {
    throw new ModelIdError(`Invalid model id "${id}": the model name after "${provider}:" is empty`);
  }
  return { id, provider, modelName };
}
