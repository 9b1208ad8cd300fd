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

/**
 * The offline simulator's models (lib/llm/sim), by name. They all answer alike (only their seeded noise
 * differs); the names exist so that tests, demos and model configurations can tell roles apart. Any
 * other "sim:<name>" is refused, so a typo never runs silently on the simulator.
 */
export const SIM_MODELS = {
  default: "the simulator (demos, tests, the forms' default)",
  other: "a second simulated model, for runs whose two roles differ",
  opt: "a simulated optimizer model",
  judge: "a simulated judge for LLM-judged metrics",
  embed: "simulated embeddings",
  paced: "the simulator, for configurations held to a rate limit",
  slow: "the simulator, for configurations held to a slow rate limit",
} as const;

export type SimModelName = keyof typeof SIM_MODELS;
export const SIM_MODEL_NAMES = Object.keys(SIM_MODELS) as SimModelName[];

export const isSimModelName = (name: string): name is SimModelName => Object.hasOwn(SIM_MODELS, name);

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
  if (provider === "sim" && !isSimModelName(modelName)) {
    const names = SIM_MODEL_NAMES.map((name) => `sim:${name}`).join(", ");
    throw new ModelIdError(`Unknown simulator model "${id}"; known simulator models: ${names}`);
  }
  return { id, provider, modelName };
}
