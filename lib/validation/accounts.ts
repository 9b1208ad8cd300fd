// Users, passwords and the signed-in identity.
import * as z from "zod";
import { API_KEY_ROLES, ROLES } from "@/lib/core/roles";
import { idSchema, slugSchema, timestampSchema } from "./common";

export const roleSchema = z.enum(ROLES).meta({
  id: "Role",
  description:
    "viewer reads; editor also writes content; admin also manages members and API keys; owner everything.",
});
export const apiKeyRoleSchema = z.enum(API_KEY_ROLES).meta({ id: "ApiKeyRole" });

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, "use at most 320 characters")
  .pipe(z.email("enter a valid email address"))
  .meta({ format: "email", example: "ada@example.com" });

export const PASSWORD_MIN_LENGTH = 10;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(1024, "use at most 1024 characters")
  .meta({ format: "password", writeOnly: true });

export const personNameSchema = z.string().trim().max(200, "use at most 200 characters");

export const userSchema = z
  .object({ id: idSchema, email: z.string(), name: z.string() })
  .meta({ id: "User" });

export const setupBodySchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema.optional(),
  organization: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "Display name of your organization (default: Default)." }),
});

export const setupResponseSchema = z.object({
  user: userSchema,
  projects: z.array(z.object({ slug: slugSchema })),
});

export const meResponseSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("user"),
      user: userSchema,
      projects: z.array(z.object({ slug: z.string(), name: z.string(), role: roleSchema })),
    }),
    z.object({
      kind: z.literal("api_key"),
      apiKey: z.object({ id: idSchema, prefix: z.string(), name: z.string(), role: apiKeyRoleSchema }),
      project: z.object({ slug: z.string(), name: z.string() }),
    }),
  ])
  .meta({ id: "Me" });

export const userTimestampsSchema = z.object({ createdAt: timestampSchema });
