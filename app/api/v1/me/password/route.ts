import { defineRoute } from "@/lib/http/define-route";
import { changePassword } from "@/lib/services/sessions";
import { changePasswordBodySchema } from "@/lib/validation/sessions";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/me/password",
  summary: "Change your password (needs the current one); ends every session",
  description:
    "Every session of the user ends, this one included: sign in again with the new password (the web " +
    "app does it for you). A wrong current password is a 400 on `currentPassword` and counts as a " +
    "failed sign-in of the account (429 with Retry-After once locked). Audited as `user.password_changed`.",
  tags: ["account"],
  auth: "user",
  body: changePasswordBodySchema,
  handler: ({ db, principal, body, meta }) => changePassword(db, principal, body, meta),
});
