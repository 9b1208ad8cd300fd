// Ending sessions and changing one's password (POST /api/v1/me/password, /api/v1/me/sessions/revoke).
import * as z from "zod";
import { passwordSchema } from "./accounts";

export const changePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(1024).meta({ writeOnly: true }),
    newPassword: passwordSchema,
  })
  .strict()
  .meta({ id: "ChangePassword" });

/** Which sessions to end: today only "all" (every device, this one included). Explicit, so that a bare POST ends nothing. */
export const revokeSessionsBodySchema = z
  .object({
    sessions: z.literal("all").meta({ description: "`all`: every session of the user, this one included." }),
  })
  .strict()
  .meta({ id: "RevokeSessions" });
