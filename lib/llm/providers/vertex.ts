// Google Vertex AI (Gemini models). Two ways in:
// - a service account / application default credentials: GOOGLE_VERTEX_PROJECT (+ GOOGLE_VERTEX_LOCATION,
//   default us-central1; GOOGLE_APPLICATION_CREDENTIALS = path of a key file, else ADC). The SDK signs
//   a token before every request, so this path needs Google's auth servers.
// - express mode: GOOGLE_VERTEX_API_KEY (sent as x-goog-api-key); with `baseURL` it can target a stub.
import type { GoogleVertexProviderSettings } from "@ai-sdk/google-vertex";
import { findApiKey, MissingCredentialError, readEnv } from "./credentials";
import { lazyEmbeddingModel, lazyLanguageModel } from "./lazy";
import type { ProviderEntry, ProviderModelOptions } from "./types";

export const DEFAULT_VERTEX_LOCATION = "us-central1";
/** The content (JSON) of a service-account key file, instead of GOOGLE_APPLICATION_CREDENTIALS' path. */
export const SERVICE_ACCOUNT_KEY_ENV = "GOOGLE_VERTEX_SERVICE_ACCOUNT_KEY";

function serviceAccountCredentials(json: string): { client_email: string; private_key: string } {
  try {
    const parsed = JSON.parse(json) as { client_email?: unknown; private_key?: unknown };
    if (typeof parsed.client_email === "string" && typeof parsed.private_key === "string") {
      return { client_email: parsed.client_email, private_key: parsed.private_key };
    }
  } catch {
    // reported below, without the content
  }
  throw new MissingCredentialError(
    "vertex",
    SERVICE_ACCOUNT_KEY_ENV,
    " to a service-account key file's JSON (with client_email and private_key)",
  );
}

/** The SDK's settings, checked now (credentials included). */
function settings(options: ProviderModelOptions): GoogleVertexProviderSettings {
  const { key, envVar } = findApiKey(options, "GOOGLE_VERTEX_API_KEY");
  if (key !== undefined) return { apiKey: key, baseURL: options.baseURL, fetch: options.fetch };
  if (options.apiKeyEnv !== undefined) throw new MissingCredentialError("vertex", envVar);
  const project = readEnv(options.env, "GOOGLE_VERTEX_PROJECT");
  if (project === undefined) {
    throw new MissingCredentialError(
      "vertex",
      "GOOGLE_VERTEX_PROJECT",
      " (with GOOGLE_VERTEX_LOCATION and GOOGLE_APPLICATION_CREDENTIALS), or GOOGLE_VERTEX_API_KEY for express mode",
    );
  }
  const keyFilename = readEnv(options.env, "GOOGLE_APPLICATION_CREDENTIALS");
  // The key file's content (e.g. a project's stored credential, lib/services/provider-credentials.ts).
  const keyJson = readEnv(options.env, SERVICE_ACCOUNT_KEY_ENV);
  return {
    fetch: options.fetch,
    project,
    location: readEnv(options.env, "GOOGLE_VERTEX_LOCATION") ?? DEFAULT_VERTEX_LOCATION,
    baseURL: options.baseURL,
    googleAuthOptions: keyJson
      ? { credentials: serviceAccountCredentials(keyJson) }
      : keyFilename
        ? { keyFilename }
        : undefined,
  };
}

/** The SDK (and Google's auth library under it) is loaded on the first call. */
function client(options: ProviderModelOptions) {
  const resolved = settings(options);
  return async () => (await import("@ai-sdk/google-vertex")).createVertex(resolved);
}

export const vertexProvider: ProviderEntry = {
  id: "vertex",
  envVars: [
    {
      name: "GOOGLE_VERTEX_PROJECT",
      required: true,
      description: "Google Cloud project (unless express mode)",
    },
    {
      name: "GOOGLE_VERTEX_LOCATION",
      required: false,
      description: `region, default ${DEFAULT_VERTEX_LOCATION}`,
    },
    {
      name: "GOOGLE_APPLICATION_CREDENTIALS",
      required: false,
      description: "service-account key file; default: application default credentials",
    },
    {
      name: SERVICE_ACCOUNT_KEY_ENV,
      required: false,
      description: "the service-account key file's JSON, instead of GOOGLE_APPLICATION_CREDENTIALS",
    },
    {
      name: "GOOGLE_VERTEX_API_KEY",
      required: false,
      description: "express-mode API key, instead of the above",
    },
  ],
  languageModel(options) {
    const vertex = client(options);
    return lazyLanguageModel("vertex", options.modelName, async () =>
      (await vertex()).languageModel(options.modelName),
    );
  },
  embeddingModel(options) {
    const vertex = client(options);
    return lazyEmbeddingModel("vertex", options.modelName, async () =>
      (await vertex()).embeddingModel(options.modelName),
    );
  },
};
