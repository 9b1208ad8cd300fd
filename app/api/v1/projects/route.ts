import { defineRoute } from "@/lib/http/define-route";
import { createProjectForUser, listMyProjects } from "@/lib/services/projects";
import { createProjectBodySchema, projectListSchema, projectSchema } from "@/lib/validation/projects";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects",
  summary: "List my projects (an API key sees its own project)",
  tags: ["projects"],
  auth: "any",
  response: projectListSchema,
  handler: async ({ db, principal }) => ({ items: await listMyProjects(db, principal) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects",
  summary: "Create a project; the creator becomes its owner",
  tags: ["projects"],
  auth: "user",
  body: createProjectBodySchema,
  response: projectSchema,
  status: 201,
  handler: ({ db, principal, body, actor }) => createProjectForUser(db, principal, body, actor),
});
