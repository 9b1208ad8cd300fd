import { defineRoute } from "@/lib/http/define-route";
import { describePrincipal } from "@/lib/services/accounts";
import { meResponseSchema } from "@/lib/validation/accounts";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/me",
  summary: "Who am I: the signed-in user and their projects, or the API key and its project",
  tags: ["account"],
  auth: "any",
  response: meResponseSchema,
  handler: ({ db, principal }) => describePrincipal(db, principal),
});
