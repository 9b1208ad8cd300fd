import { defineRoute } from "@/lib/http/define-route";
import { describePrincipal } from "@/lib/services/accounts";
import { meResponseSchema } from "@/lib/validation/accounts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/me",
  summary: "Who am I: the signed-in user and their projects, or the API key and its project",
  description:
    'A web session gets `kind: "user"` with the user and every project they belong to (slug, ' +
    'name, role); an API key gets `kind: "api_key"` with the key\'s role and its one project. ' +
    "Scripts call it to check a key before using it.",
  tags: ["account"],
  auth: "any",
  response: meResponseSchema,
  handler: ({ db, principal }) => describePrincipal(db, principal),
});
