import { defineRoute } from "@/lib/http/define-route";
import { revokeProjectApiKey } from "@/lib/services/api-keys";
import { apiKeyParamsSchema, apiKeySchema } from "@/lib/validation/api-keys";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/api-keys/{keyId}",
  summary: "Revoke an API key (it stops working at once; revoking twice is harmless)",
  description:
    "Requests with the key get 401 from then on. Revoking a key that is already revoked changes nothing.",
  tags: ["api-keys"],
  auth: { role: "admin" },
  params: apiKeyParamsSchema,
  response: apiKeySchema,
  handler: ({ db, access, params, actor }) => revokeProjectApiKey(db, access, params.keyId, actor),
});
