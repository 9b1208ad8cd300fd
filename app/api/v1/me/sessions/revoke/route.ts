import { defineRoute } from "@/lib/http/define-route";
import { revokeAllSessions } from "@/lib/services/sessions";
import { revokeSessionsBodySchema } from "@/lib/validation/sessions";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/me/sessions/revoke",
  summary: "Sign out everywhere: end every session of the signed-in user, this one included",
  description:
    "Every session cookie issued to this user so far stops working at once, on every device (the " +
    'next request gets 401). The body `{"sessions": "all"}` says so explicitly. Audited as ' +
    "`auth.sessions_revoked`. API keys are not affected.",
  tags: ["account"],
  auth: "user",
  body: revokeSessionsBodySchema,
  handler: ({ db, principal, actor }) => revokeAllSessions(db, principal, actor),
});
