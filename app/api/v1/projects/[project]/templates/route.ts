import { defineRoute } from "@/lib/http/define-route";
import { listTemplates, saveVersionAsTemplate } from "@/lib/services/templates";
import { projectParamsSchema } from "@/lib/validation/projects";
import {
  saveTemplateBodySchema,
  templateListQuerySchema,
  templateListSchema,
  templateSummarySchema,
} from "@/lib/validation/template-api";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/templates",
  summary: "List templates: the built-in library and the project's own, searched and filtered",
  description:
    "`q`: words that must all appear in the name, description, tags or notes; `category` and `metric` filter exactly.",
  tags: ["templates"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  query: templateListQuerySchema,
  response: templateListSchema,
  handler: async ({ db, access, query }) => ({ items: await listTemplates(db, access, query) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/templates",
  summary: "Save a prompt version as a project template, optionally with a dataset version's rows",
  description:
    "409 when the slug is taken (by a project template or a built-in one); 400 naming the field when the " +
    "version and dataset do not make a valid template (e.g. a row lacks a required variable).",
  tags: ["templates"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: projectParamsSchema,
  body: saveTemplateBodySchema,
  response: templateSummarySchema,
  status: 201,
  handler: ({ db, access, body, actor }) => saveVersionAsTemplate(db, access, body, actor),
});
