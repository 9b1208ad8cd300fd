import { defineRoute } from "@/lib/http/define-route";
import { setupFirstUser } from "@/lib/services/accounts";
import { setupBodySchema, setupResponseSchema } from "@/lib/validation/accounts";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/setup",
  summary: "Create the first owner (only while no user exists; 409 afterwards)",
  description:
    "One-time first run: creates the user, who becomes owner of the default organization's projects " +
    "(including the CLI's `default` project). Later users are invited by an owner or admin.",
  tags: ["account"],
  auth: "public",
  body: setupBodySchema,
  response: setupResponseSchema,
  status: 201,
  rateLimit: { limit: 20, windowMs: 15 * 60_000 },
  handler: ({ db, body, meta }) => setupFirstUser(db, body, meta),
});
