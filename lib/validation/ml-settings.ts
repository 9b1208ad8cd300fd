// ML settings of a project: model configurations, metric configurations and provider credentials.
// The model fields reuse the task file's pieces (lib/validation/task-file.ts), so a stored configuration
// and an inline one in a task file are checked alike.
import * as z from "zod";
import { isProviderId, isSimModelName, PROVIDER_IDS, SIM_MODEL_NAMES } from "@/lib/llm/model-id";
import { timestampSchema } from "./common";
import { projectParamsSchema } from "./projects";
import {
  modelConfigSchema,
  modelParamsSchema,
  priceSchema,
  rateLimitSchema,
  refusedInApp,
} from "./task-file";

/** Names of stored configurations: they appear in URLs and task files (`{ config: "<name>" }`). */
export const configNameSchema = z
  .string()
  .trim()
  .min(1, "enter a name")
  .max(100, "use at most 100 characters")
  .regex(/^[A-Za-z0-9][\w.-]*$/, "use letters, digits, '-', '_' or '.' (starting with a letter or digit)");

const modelIdSchema = modelConfigSchema.shape.id
  .refine((id) => isProviderId(id.slice(0, id.indexOf(":"))), {
    message: `unknown provider; known providers: ${PROVIDER_IDS.join(", ")}`,
  })
  .refine((id) => !id.startsWith("sim:") || isSimModelName(id.slice(4)), {
    message: `unknown simulator model; known simulator models: ${SIM_MODEL_NAMES.map((n) => `sim:${n}`).join(", ")}`,
  });

/** The fields of a model configuration a client sends (create: with `name`; update: without). */
const modelConfigFields = {
  model: modelIdSchema.meta({ description: '"provider:model", e.g. "openai:gpt-4o-mini".' }),
  credential: configNameSchema
    .nullish()
    .transform((value) => value ?? null)
    .meta({
      description:
        "Name of a provider credential of the project (its key and endpoint); default: the server's " +
        "environment, else the credential named after the provider.",
    }),
  baseURL: refusedInApp.meta({ description: "Refused: the endpoint is the credential's." }),
  apiKeyEnv: refusedInApp.meta({ description: "Refused: the key is the credential's." }),
  params: modelParamsSchema.default({}).meta({ description: "temperature, maxOutputTokens, topP, seed." }),
  price: priceSchema
    .nullish()
    .transform((value) => value ?? null)
    .meta({ description: "USD per million input/output tokens; default: the built-in table." }),
  concurrency: modelConfigSchema.shape.concurrency,
  rateLimit: rateLimitSchema.default({}),
  timeoutMs: modelConfigSchema.shape.timeoutMs.nullable().transform((value) => value ?? null),
  maxRetries: modelConfigSchema.shape.maxRetries.nullable().transform((value) => value ?? null),
};

export const createModelConfigBodySchema = z
  .object({ name: configNameSchema, ...modelConfigFields })
  .strict();

export const updateModelConfigBodySchema = z
  .object({
    ...modelConfigFields,
    expectedUpdatedAt: z.iso.datetime({ offset: true }).optional().meta({
      description:
        "The `updatedAt` the client last saw: a newer stored configuration is a 409 (no lost updates).",
    }),
  })
  .strict();

export type CreateModelConfigBody = z.output<typeof createModelConfigBodySchema>;
export type UpdateModelConfigBody = z.output<typeof updateModelConfigBodySchema>;

export const modelConfigResponseSchema = z
  .object({
    name: z.string(),
    model: z.string(),
    credential: z.string().nullable(),
    params: modelParamsSchema,
    price: priceSchema.nullable(),
    concurrency: z.number(),
    rateLimit: rateLimitSchema,
    timeoutMs: z.number().nullable(),
    maxRetries: z.number().nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema.meta({
      description: "Version of the configuration (send as expectedUpdatedAt).",
    }),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: "ModelConfig" });

export const modelConfigListSchema = z.object({ items: z.array(modelConfigResponseSchema) });

const metricConfigFields = {
  metric: z
    .string()
    .trim()
    .min(1, "choose a metric")
    .meta({ description: 'A registered metric, e.g. "exact_match".' }),
  options: z.record(z.string(), z.unknown()).default({}).meta({ description: "The metric's options." }),
  weight: z.number().positive("must be a positive number").max(1000).default(1),
  target: z
    .number()
    .min(0, "must be between 0 and 1")
    .max(1, "must be between 0 and 1")
    .nullish()
    .transform((value) => value ?? null)
    .meta({ description: "The score (0–1) aimed for." }),
};

export const createMetricConfigBodySchema = z
  .object({ name: configNameSchema, ...metricConfigFields })
  .strict();

export const updateMetricConfigBodySchema = z
  .object({ ...metricConfigFields, expectedUpdatedAt: updateModelConfigBodySchema.shape.expectedUpdatedAt })
  .strict();

export type CreateMetricConfigBody = z.output<typeof createMetricConfigBodySchema>;
export type UpdateMetricConfigBody = z.output<typeof updateMetricConfigBodySchema>;

export const metricConfigResponseSchema = z
  .object({
    name: z.string(),
    metric: z.string(),
    options: z.record(z.string(), z.unknown()),
    weight: z.number(),
    target: z.number().nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    updatedBy: z.string().nullable(),
  })
  .meta({ id: "MetricConfig" });

export const metricConfigListSchema = z.object({ items: z.array(metricConfigResponseSchema) });

export const configParamsSchema = projectParamsSchema.extend({
  name: z.string().min(1).max(100).meta({ description: "Configuration name." }),
});

// ---- Provider credentials --------------------------------------------------------------------------

export const CREDENTIAL_PROVIDERS = ["openai", "anthropic", "vertex", "openai-compatible"] as const;
export type CredentialProvider = (typeof CREDENTIAL_PROVIDERS)[number];

export const credentialProviderSchema = z.enum(CREDENTIAL_PROVIDERS, {
  error: `expected one of ${CREDENTIAL_PROVIDERS.join(", ")}`,
});

/** Credentials are named (model configurations name them); a provider's default one is named after it. */
export const credentialParamsSchema = projectParamsSchema.extend({
  credential: z.string().min(1).max(100).meta({
    description: 'Credential name; "openai", "anthropic", "vertex", "openai-compatible" name the defaults.',
  }),
});

const secretText = (label: string) =>
  z.string().trim().min(1, `enter the ${label}`).max(10_000, "use at most 10000 characters");

/**
 * Where a credential's key is sent. A path prefix only: a query or a fragment would let the URL choose
 * any path on the server, and user info would be a second, unencrypted secret.
 */
const endpoint = z
  .url({ protocol: /^https?$/, error: "enter an http(s) URL, e.g. https://api.openai.com/v1" })
  .max(2000)
  .superRefine((text, ctx) => {
    const url = new URL(text);
    if (url.username || url.password)
      ctx.addIssue({
        code: "custom",
        message: "leave user and password out of the URL; use the API key field",
      });
    if (url.search || text.includes("?"))
      ctx.addIssue({ code: "custom", message: "the endpoint cannot have a query string (?…)" });
    if (url.hash || text.includes("#"))
      ctx.addIssue({ code: "custom", message: "the endpoint cannot have a fragment (#…)" });
  });

const serviceAccountJson = z
  .string()
  .trim()
  .min(1, "paste the service-account key (JSON)")
  .max(20_000, "use at most 20000 characters")
  .superRefine((text, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "not valid JSON" });
      return;
    }
    const account = parsed as Record<string, unknown> | null;
    const missing = ["client_email", "private_key"].filter(
      (key) => typeof account?.[key] !== "string" || account[key] === "",
    );
    if (typeof parsed !== "object" || Array.isArray(parsed) || missing.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `expected a service-account key file (JSON with ${missing.join(" and ") || "client_email and private_key"})`,
      });
    }
  });

/** What each provider stores (all of it encrypted). */
export const credentialInputSchemas = {
  openai: z.object({ apiKey: secretText("API key"), baseURL: endpoint.optional() }).strict(),
  anthropic: z.object({ apiKey: secretText("API key") }).strict(),
  vertex: z
    .object({
      project: z.string().trim().min(1, "enter the Google Cloud project").max(200),
      location: z.string().trim().min(1).max(100).default("us-central1"),
      serviceAccountJson,
    })
    .strict(),
  "openai-compatible": z.object({ baseURL: endpoint, apiKey: secretText("API key").optional() }).strict(),
} as const satisfies Record<CredentialProvider, z.ZodType>;

export type CredentialInput<P extends CredentialProvider = CredentialProvider> = z.output<
  (typeof credentialInputSchemas)[P]
>;

/**
 * The body of PUT /credentials/{credential}, for the document: which fields apply depends on the
 * provider (checked per provider by the service, 400 naming the field).
 */
export const credentialBodySchema = z.looseObject({
  provider: credentialProviderSchema.optional().meta({
    description: "The provider; default: the credential's name when it is a provider's name.",
  }),
  apiKey: z
    .string()
    .optional()
    .meta({ description: "openai, anthropic (required); openai-compatible (optional)." }),
  baseURL: z.string().optional().meta({ description: "openai (optional), openai-compatible (required)." }),
  project: z.string().optional().meta({ description: "vertex: the Google Cloud project." }),
  location: z.string().optional().meta({ description: "vertex: the region (default us-central1)." }),
  serviceAccountJson: z
    .string()
    .optional()
    .meta({ description: "vertex: the service-account key file's JSON." }),
});

export const credentialStatusSchema = z
  .object({
    name: z.string(),
    provider: credentialProviderSchema,
    set: z.boolean().meta({ description: "Whether a credential is stored (its value is never returned)." }),
    endpoint: z.string().nullable().meta({
      description: "The base URL the credential is bound to; null: the provider's own endpoint.",
    }),
    fingerprint: z.string().nullable().meta({
      description: "First 8 hex characters of the sha256 of the stored settings, to tell versions apart.",
    }),
    updatedAt: timestampSchema.nullable(),
    updatedBy: z.string().nullable(),
    environment: z.boolean().meta({
      description:
        "A provider's default credential only: the server's environment configures the provider, and " +
        "model configurations that name no credential use it instead.",
    }),
    usedBy: z.array(z.string()).meta({ description: "Model configurations that name this credential." }),
  })
  .meta({ id: "ProviderCredentialStatus" });

export const credentialListSchema = z.object({ items: z.array(credentialStatusSchema) });

export const testConnectionBodySchema = z
  .object({
    model: z.string().trim().min(1).max(200).optional().meta({
      description:
        "Model name to call (without the provider); default: a model configuration of this provider, else a small default.",
    }),
  })
  .strict()
  .optional();

export const testConnectionResultSchema = z
  .object({
    ok: z.boolean(),
    name: z.string(),
    provider: credentialProviderSchema,
    model: z.string(),
    latencyMs: z.number(),
    error: z.string().nullable().meta({ description: "What failed (secrets removed)." }),
  })
  .meta({ id: "ProviderConnectionTest" });

// ---- Cost confirmation (runs on paid models) ---------------------------------------------------------

/** Without a setting: a run on a paid model that may cost more than this asks for confirmation. */
export const DEFAULT_CONFIRM_ABOVE_USD = 1;

export const costConfirmationBodySchema = z
  .object({
    confirmAboveUsd: z
      .number({ error: "enter an amount in USD" })
      .min(0, "enter 0 or more (0: always ask on a paid model)")
      .max(1_000_000, "enter at most 1,000,000")
      .meta({
        description:
          "A run on a paid model whose estimated cost may exceed this many USD asks for confirmation " +
          "before it starts (0: always ask).",
      }),
  })
  .strict();
export type CostConfirmationBody = z.output<typeof costConfirmationBodySchema>;

export const costConfirmationSchema = costConfirmationBodySchema
  .extend({
    isDefault: z.boolean().meta({ description: "No one has set it: the built-in default applies." }),
  })
  .meta({ id: "CostConfirmation" });
export type CostConfirmation = z.output<typeof costConfirmationSchema>;
