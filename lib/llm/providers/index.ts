// The provider registry: one file per provider, one line here.
import type { ProviderId } from "../model-id";
import { anthropicProvider } from "./anthropic";
import { openaiProvider } from "./openai";
import { openaiCompatibleProvider } from "./openai-compatible";
import { simProvider } from "./sim";
import type { ProviderEntry } from "./types";
import { vertexProvider } from "./vertex";

export const providers: Readonly<Record<ProviderId, ProviderEntry>> = {
  openai: openaiProvider,
  anthropic: anthropicProvider,
  vertex: vertexProvider,
  "openai-compatible": openaiCompatibleProvider,
  sim: simProvider,
};

export { MissingCredentialError } from "./credentials";
export type { Env, ProviderEntry, ProviderModelOptions, UnsupportedSetting } from "./types";
