import * as z from "zod";
import { emailSchema, passwordSchema, personNameSchema, roleSchema } from "./accounts";
import { idSchema, timestampSchema } from "./common";
import { projectParamsSchema } from "./projects";

export const memberSchema = z
  .object({
    userId: idSchema,
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: "Member" });

export const memberListSchema = z.object({ items: z.array(memberSchema) });

export const memberParamsSchema = projectParamsSchema.extend({ userId: idSchema });

export const addMemberBodySchema = z.object({
  email: emailSchema,
  role: roleSchema,
  name: personNameSchema.optional().meta({ description: "For a new user only." }),
  password: passwordSchema.optional().meta({
    description: "Initial password, required when no user has this email yet (share it with them privately).",
  }),
});

export const changeRoleBodySchema = z.object({ role: roleSchema });
