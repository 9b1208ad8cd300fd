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
    archivedAt: timestampSchema.nullable().meta({
      description: "When an admin archived the project (null: active). Archived projects take no new work.",
    }),
  })
  .meta({ id: "Project" });

export const projectParamsSchema = z.object({ project: z.string().meta({ description: "Project slug." }) });

const projectNameSchema = z.string().trim().min(1, "enter a name").max(100, "use at most 100 characters");

export const createProjectBodySchema = z.object({
  slug: slugSchema,
  name: projectNameSchema,
  organization: slugSchema.optional().meta({
    description:
      "Slug of an organization in which you own a project. Default: your first such organization, else a new one.",
  }),
});

/** PATCH a project (admins): a new name (the slug stays) and/or archive (true) or unarchive (false). */
export const updateProjectBodySchema = z
  .object({
    name: projectNameSchema.optional().meta({ description: "The new display name; the slug never changes." }),
    archived: z.boolean().optional().meta({
      description:
        "true archives (the project leaves the default project list and refuses new runs, batches and dataset changes with 409; it stays readable); false unarchives.",
    }),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.archived !== undefined, {
    message: "send a new name or archived: true/false",
  })
  .meta({ example: { name: "Support bot (2026)", archived: true } });

export const projectListSchema = z.object({ items: z.array(projectSchema) });

export const projectListQuerySchema = z
  .object({
    archived: z
      .enum(["exclude", "include"])
      .default("exclude")
      .meta({ description: "`include` lists archived projects too (default: only active ones)." }),
  })
  .strict();
