import * as z from "zod";
import { roleSchema } from "./accounts";
import { idSchema, slugSchema, timestampSchema } from "./common";

export const organizationSchema = z
  .object({ id: idSchema, slug: z.string(), name: z.string() })
  .meta({ id: "Organization" });

export const projectSchema = z
  .object({
    id: idSchema,
    slug: z.string(),
    name: z.string(),
    createdAt: timestampSchema,
    organization: organizationSchema,
    role: roleSchema.meta({ description: "The caller's role in the project." }),
  })
  .meta({ id: "Project" });

export const projectParamsSchema = z.object({ project: z.string().meta({ description: "Project slug." }) });

export const createProjectBodySchema = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1, "enter a name").max(100, "use at most 100 characters"),
  organization: slugSchema.optional().meta({
    description:
      "Slug of an organization in which you own a project. Default: your first such organization, else a new one.",
  }),
});

export const projectListSchema = z.object({ items: z.array(projectSchema) });
