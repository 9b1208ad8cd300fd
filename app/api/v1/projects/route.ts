import { defineRoute } from "@/lib/http/define-route";
import { createProjectForUser, listMyProjects } from "@/lib/services/projects";
import {
  createProjectBodySchema,
  projectListQuerySchema,
  projectListSchema,
  projectSchema,
} from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects",
  summary: "List my projects (an API key sees its own project)",
  description:
    "A signed-in user gets the projects they are a member of, with their role in each; an API key " +
    "gets only the project it belongs to. Archived projects are left out unless `archived=include`.",
  tags: ["projects"],
  auth: "any",
  query: projectListQuerySchema,
  response: projectListSchema,
  handler: async ({ db, principal, query }) => ({
    items: await listMyProjects(db, principal, { includeArchived: query.archived === "include" }),
  }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects",
  summary: "Create a project; the creator becomes its owner",
  description:
    "Only signed-in users can create projects (API keys get 403). The slug is the project's " +
    "permanent address in URLs and API paths; 409 when it is taken.",
  tags: ["projects"],
  auth: "user",
  body: createProjectBodySchema,
  response: projectSchema,
  status: 201,
  handler: ({ db, principal, body, actor }) => createProjectForUser(db, principal, body, actor),
});
