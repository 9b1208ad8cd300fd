import * as z from "zod";
import { idSchema, pageSchema, paginationQuerySchema, timestampSchema } from "./common";

export const auditEntrySchema = z
  .object({
    id: idSchema,
    createdAt: timestampSchema,
    action: z.string(),
    actor: z.object({
      type: z.enum(["user", "api_key", "system", "anonymous"]),
      id: z.string().nullable(),
      label: z.string(),
    }),
    target: z.object({
      type: z.string().nullable(),
      id: z.string().nullable(),
      label: z.string().nullable(),
    }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: "AuditEntry" });

export const auditQuerySchema = paginationQuerySchema.extend({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_]+(\.[a-z_]*)?$/, "an action such as member.added, or a prefix such as member.")
    .optional()
    .meta({ description: "An action (`member.role_changed`) or a prefix ending in a dot (`member.`)." }),
});

export const auditPageSchema = pageSchema(auditEntrySchema);
