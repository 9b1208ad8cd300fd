import { defineRoute } from "@/lib/http/define-route";
import { deleteTemplate, getTemplate } from "@/lib/services/templates";
import { templateDetailSchema, templateParamsSchema } from "@/lib/validation/template-api";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/templates/{template}",
  summary: "One template: notes, prompt, variables, suggested metrics and the first dataset rows",
  description:
    "The project's own template of that slug, else the built-in one; 404 naming the slug when neither exists. " +
    "`dataset.preview` holds the first 20 rows; the export has them all.",
  tags: ["templates"],
  auth: { role: "viewer" },
  params: templateParamsSchema,
  response: templateDetailSchema,
  handler: ({ db, access, params }) => getTemplate(db, access, params.template),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/templates/{template}",
  summary: "Delete a project template (built-in templates cannot be deleted: 409)",
  description: "Tasks, datasets and metric configurations made from the template stay.",
  tags: ["templates"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: templateParamsSchema,
  handler: ({ db, access, params, actor }) => deleteTemplate(db, access, params.template, actor),
});
