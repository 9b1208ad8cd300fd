import { defineRoute } from "@/lib/http/define-route";
import { addProjectMember, listProjectMembers } from "@/lib/services/members";
import { addMemberBodySchema, memberListSchema, memberSchema } from "@/lib/validation/members";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/members",
  summary: "List the members of a project",
  description:
    "Every member with name, email and role (viewer, editor, admin, owner). Any member can see " +
    "who else is in the project.",
  tags: ["members"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: memberListSchema,
  handler: async ({ db, access }) => ({ items: await listProjectMembers(db, access) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/members",
  summary: "Add a member by email (a new email needs an initial password)",
  description: "Admins add viewers, editors and admins; only owners add owners.",
  tags: ["members"],
  auth: { role: "admin" },
  params: projectParamsSchema,
  body: addMemberBodySchema,
  response: memberSchema,
  status: 201,
  handler: ({ db, access, body, actor }) => addProjectMember(db, access, body, actor),
});
