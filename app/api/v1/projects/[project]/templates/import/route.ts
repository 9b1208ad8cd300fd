import { defineRoute } from "@/lib/http/define-route";
import { importTemplate } from "@/lib/services/templates";
import { projectParamsSchema } from "@/lib/validation/projects";
import { TEMPLATE_YAML_TYPES, templateSummarySchema } from "@/lib/validation/template-api";

export const dynamic = "force-dynamic";

const DESCRIPTION =
  "The request body is a template YAML file, as GET …/templates/{template}/export gives. 400 naming the " +
  "field path when it is not valid YAML or not a valid template; 409 naming the slug when it is taken; 413 past 5 MB.";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/templates/import",
  summary: "Import a template from a YAML file",
  description: DESCRIPTION,
  tags: ["templates"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: projectParamsSchema,
  rawBody: { contentTypes: TEMPLATE_YAML_TYPES, description: DESCRIPTION },
  response: templateSummarySchema,
  status: 201,
  handler: ({ db, access, request, actor }) => importTemplate(db, access, request.body, actor),
});
