import { defineRoute } from "@/lib/http/define-route";
import { useTemplate } from "@/lib/services/templates";
import {
  templateParamsSchema,
  usedTemplateSchema,
  useTemplateBodySchema,
} from "@/lib/validation/template-api";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/templates/{template}/use",
  summary: "Use a template: create its task with a first version, its dataset and its metric configurations",
  description:
    "All or nothing. The task is named after the template's slug (-2, -3… while taken) unless `name` is " +
    "given (409 when taken); the dataset takes the task's name, each metric configuration `<task>.<metric>`. " +
    "`url` is the task's page, where it can be evaluated or optimized.",
  tags: ["templates"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: templateParamsSchema,
  body: useTemplateBodySchema,
  response: usedTemplateSchema,
  status: 201,
  handler: ({ db, access, params, body, actor }) => useTemplate(db, access, params.template, body, actor),
});
