import * as z from "zod";
import { apiKeyRoleSchema } from "./accounts";
import { idSchema, timestampSchema } from "./common";
import { projectParamsSchema } from "./projects";

export const apiKeySchema = z
  .object({
    id: idSchema,
    name: z.string(),
    prefix: z.string().meta({ description: "The visible start of the key, e.g. `strop_ab12cd34`." }),
    role: apiKeyRoleSchema,
    createdAt: timestampSchema,
    lastUsedAt: timestampSchema.nullable(),
    revokedAt: timestampSchema.nullable(),
    createdBy: z.object({ id: idSchema, email: z.string() }).nullable(),
  })
  .meta({ id: "ApiKey" });

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

export const createApiKeyBodySchema = z.object({
  name: z.string().trim().min(1, "enter a name").max(100, "use at most 100 characters"),
  role: apiKeyRoleSchema.default("viewer"),
});

export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    secret: z.string().meta({
      description: "The whole key, shown only in this response: send it as `Authorization: Bearer <secret>`.",
    }),
  })
  .meta({ id: "CreatedApiKey" });

export const apiKeyParamsSchema = projectParamsSchema.extend({ keyId: idSchema });
