// Generating with a served prompt: the version's model (a model configuration's name or a
// "provider:model" id; none: `sim:default`) is called through the LLM gateway — credentials resolved as
// for any configuration stored in the app (credentials/for-models.ts, author "project"), the egress
// policy, the project's response cache, the model's rate limits and concurrency, retries, accounting —
// and every call, answered or failed, is stored as a Generation (for feedback and datasets).
import type { ProjectAccess } from "@/lib/auth/principal";
import { AppError } from "@/lib/core/errors";
import { LlmError } from "@/lib/core/ports";
import { type Db, recordGeneration } from "@/lib/db";
import type { Env } from "@/lib/llm/providers/index";
import { appModelConfigSchema } from "@/lib/validation/runs";
import type { ModelConfig } from "@/lib/validation/task-file";
import {
  CredentialProblem,
  checkModelsBuild,
  type ProviderCredentials,
  resolveProviderCredentials,
} from "../credentials/for-models";
import { signFeedbackToken } from "../feedback/token";
import { checkModelId, modelFromRef, SpecRefProblem } from "../spec-refs";
import type { ServedExperiment } from "./experiment-routing";
import { servingGateways } from "./gateways";
import { renderServedPrompt, type ServingRequest } from "./render";
import type { ServedPrompt } from "./resolve";

/** The model of a version that names none. */
export const DEFAULT_SERVING_MODEL = "sim:default";

export interface GenerateRequest extends ServingRequest {
  cache?: "use" | "bypass" | "refresh";
}

export interface GenerateOptions {
  /** The server's environment (default process.env): provider variables and REDIS_URL. */
  env?: Env;
  /** Aborts the provider call (the client went away). */
  signal?: AbortSignal;
}

export interface GenerationView {
  generationId: string;
  output: string;
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
  costUsd: number;
  cached: boolean;
  model: string;
  id: string;
  version: number;
  label: string | null;
  /** The experiment that chose the version (absent: none). */
  experiment?: ServedExperiment;
  /** Lets a browser send feedback about this generation without a key (short-lived). */
  feedbackToken: string;
}

/** The version's model cannot be called as the project is configured (409: fix the settings, not the call). */
function unusable(served: ServedPrompt, ref: string, reason: string): AppError {
  const { name, version } = served.body;
  return new AppError(
    "model_unusable",
    `prompt "${name}" version ${version}: its model "${ref}" cannot be used: ${reason}`,
    409,
    { issues: [] },
  );
}

async function servingModel(
  db: Db,
  projectId: string,
  served: ServedPrompt,
  ref: string,
): Promise<ModelConfig> {
  try {
    const parsed = appModelConfigSchema.safeParse(await modelFromRef(db, projectId, ref));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SpecRefProblem(`${issue.path.join(".") || "model"}: ${issue.message}`);
    }
    checkModelId(parsed.data.id);
    return parsed.data;
  } catch (error) {
    if (error instanceof SpecRefProblem) throw unusable(served, ref, error.message);
    throw error;
  }
}

/** Calls the served version's model with the rendered messages and stores the generation. */
export async function generateFromServedPrompt(
  db: Db,
  access: ProjectAccess,
  name: string,
  request: GenerateRequest,
  options: GenerateOptions = {},
): Promise<GenerationView> {
  const projectId = access.project.id;
  const rendered = await renderServedPrompt(db, access, name, request);
  const { served } = rendered;
  const ref = served.body.model ?? DEFAULT_SERVING_MODEL;
  const model = await servingModel(db, projectId, served, ref);
  const models = [{ path: "model", model }];
  let credentials: ProviderCredentials;
  try {
    credentials = await resolveProviderCredentials(db, projectId, models, {
      author: "project",
      env: options.env,
    });
    checkModelsBuild(models, credentials);
  } catch (error) {
    if (error instanceof CredentialProblem) throw unusable(served, ref, error.reason);
    throw error;
  }
  const gateway = servingGateways(db).get({ projectId, model, credentials, env: options.env });
  const principal = access.principal;
  const base = {
    projectId,
    taskId: served.taskId,
    versionId: served.body.id,
    label: served.body.label,
    model: model.id,
    variables: rendered.values,
    apiKeyId: principal.kind === "api_key" ? principal.keyId : null,
    userId: principal.kind === "user" ? principal.userId : null,
    exposureId: rendered.experiment?.exposureId ?? null,
    // Recorded even without an experiment: a later experiment's CUPED reads this subject's feedback.
    subjectId: request.subject ?? null,
  };
  const started = performance.now();
  try {
    const response = await gateway.generate({
      model: model.id,
      messages: rendered.messages,
      // The configuration's parameters are defaults; the version's own win (as in batches).
      params: { ...model.params, ...served.prompt.params },
      cache: request.cache ?? "use",
      signal: options.signal,
    });
    const { id } = await recordGeneration(db, {
      ...base,
      output: response.text,
      error: null,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd: response.costUsd,
      latencyMs: response.latencyMs,
      cached: response.cached,
    });
    const feedbackToken = await signFeedbackToken(db, {
      projectId,
      generationId: id,
      exposureId: base.exposureId,
    });
    const experiment = rendered.experiment;
    return {
      ...(experiment
        ? {
            experiment: { id: experiment.id, variant: experiment.variant, exposureId: experiment.exposureId },
          }
        : {}),
      feedbackToken,
      generationId: id,
      output: response.text,
      usage: response.usage,
      latencyMs: response.latencyMs,
      costUsd: response.costUsd,
      cached: response.cached,
      model: model.id,
      id: served.body.id,
      version: served.body.version,
      label: served.body.label,
    };
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    const { id } = await recordGeneration(db, {
      ...base,
      output: null,
      error: error.message,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyMs: performance.now() - started,
      cached: false,
    });
    // The gateway's messages are parsed, truncated and free of secrets (lib/llm/errors.ts).
    throw new AppError("provider_error", `the model "${model.id}" failed: ${error.message}`, 502, {
      issues: [],
      generationId: id,
      ...(error.status !== undefined ? { providerStatus: error.status } : {}),
    });
  }
}
