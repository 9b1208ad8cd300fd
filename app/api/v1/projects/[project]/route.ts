import { defineRoute } from "@/lib/http/define-route";
import { changeProject, getProjectView } from "@/lib/services/projects";
import { projectParamsSchema, projectSchema, updateProjectBodySchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}",
  summary: "Get a project by slug, with my role in it",
  description:
    "Any member (and any API key of the project) can read it. A project you are not a member of " +
    "answers 404, as if it did not exist.",
  tags: ["projects"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: projectSchema,
  handler: ({ db, access }) => getProjectView(db, access),
});

export const PATCH = defineRoute({
  method: "PATCH",
  path: "/api/v1/projects/{project}",
  summary: "Rename a project (the slug stays) and/or archive or unarchive it",
  description:
    "Send `name`, `archived` or both. The slug never changes, so URLs and API keys keep working. " +
    "Admins and owners only.",
  tags: ["projects"],
  auth: { role: "admin" },
  params: projectParamsSchema,
  body: updateProjectBodySchema,
  response: projectSchema,
  handler: ({ db, access, body, actor }) => changeProject(db, access, body, actor),
});
