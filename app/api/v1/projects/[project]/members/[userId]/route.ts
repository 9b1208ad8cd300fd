import { defineRoute } from "@/lib/http/define-route";
import { changeProjectMemberRole, removeProjectMember } from "@/lib/services/members";
import { changeRoleBodySchema, memberParamsSchema, memberSchema } from "@/lib/validation/members";

export const dynamic = "force-dynamic";

export const PATCH = defineRoute({
  method: "PATCH",
  path: "/api/v1/projects/{project}/members/{userId}",
  summary: "Change a member's role (the last owner cannot be demoted)",
  description:
    "Admins manage every member but owners. The last owner of a project cannot be demoted, so a " +
    "project never loses its owner.",
  tags: ["members"],
  auth: { role: "admin" },
  params: memberParamsSchema,
  body: changeRoleBodySchema,
  response: memberSchema,
  handler: ({ db, access, params, body, actor }) =>
    changeProjectMemberRole(db, access, params.userId, body.role, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/members/{userId}",
  summary: "Remove a member (the last owner cannot be removed)",
  description:
    "The user loses access to the project at once. The last owner cannot be removed, so a project " +
    "never loses its owner.",
  tags: ["members"],
  auth: { role: "admin" },
  params: memberParamsSchema,
  handler: ({ db, access, params, actor }) => removeProjectMember(db, access, params.userId, actor),
});
