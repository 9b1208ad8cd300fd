// Feedback from applications (an API key or a session) and from browsers (the answer's signed token,
// no key): "public" here because the token is a credential of its own; the service authenticates.
import { authenticateRequest } from "@/lib/auth/authenticate";
import { ForbiddenError } from "@/lib/core/errors";
import { defineRoute } from "@/lib/http/define-route";
import { submitFeedback } from "@/lib/services/feedback";
import { feedbackBodySchema, feedbackResultSchema } from "@/lib/validation/feedback";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/feedback",
  summary: "Record feedback on a generation or an experiment exposure (idempotent by key)",
  description:
    "Authenticate with an API key or session and name `generationId` or `exposureId`, or send the " +
    "answer's `token` (no key: what a browser does). Unknown generation or exposure: 404; another " +
    "project's: 403; an expired, forged or malformed token: 401. A replayed `idempotencyKey` answers " +
    "the first feedback with `replayed: true` and is counted once.",
  tags: ["feedback"],
  auth: "public",
  rateLimit: { limit: 600, windowMs: 60_000 },
  status: 201,
  body: feedbackBodySchema,
  response: feedbackResultSchema,
  handler: async ({ request, db, body }) => {
    const principal = body.token === undefined ? await authenticateRequest(db, request) : null;
    // A session cookie must not be usable from another site (tokens and keys are not ambient).
    if (principal?.kind === "user" && request.headers.get("sec-fetch-site") === "cross-site")
      throw new ForbiddenError("Cross-site requests cannot use the session cookie; send the feedback token.");
    return submitFeedback(db, principal, body);
  },
});
