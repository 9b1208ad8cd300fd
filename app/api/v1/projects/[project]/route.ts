import { defineRoute } from "@/lib/http/define-route";
import { projectView } from "@/lib/services/projects";
import { projectParamsSchema, projectSchema } from "@/lib/validation/projects";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}",
  summary: "Get a project by slug, with my role in it",
  tags: ["projects"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: projectSchema,
  handler: async ({ access }) => projectView(access),
});
