// Feedback in bulk from server-side senders (an API key or a session): up to 100 items, each as the body
// of POST /api/v1/feedback, written together. A bad item is a 400 naming its index and field; an unknown
// or foreign target refuses the whole request (404/403 naming the item) with nothing written.
import { authenticateRequest } from "@/lib/auth/authenticate";
import { ForbiddenError } from "@/lib/core/errors";
import { defineRoute } from "@/lib/http/define-route";
import { submitFeedbackItems } from "@/lib/services/feedback";
import { feedbackBatchBodySchema, feedbackBatchResultSchema } from "@/lib/validation/feedback";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/feedback/batch",
  summary: "Record up to 100 feedback items in one request (idempotent by key)",
  description:
    "A JSON array of feedback items, each as the body of `POST /api/v1/feedback` (at most 100), sent " +
    "with an API key or a session. A bad item is a 400 naming its index and field (`body.3.name`); an " +
    "unknown or foreign generation or exposure refuses the whole request (404/403, `item 3: …`) and " +
    "nothing is written. Items are written together; a replayed `idempotencyKey` (in the request or " +
    "earlier) answers the first feedback with `replayed: true` and is counted once.",
  tags: ["feedback"],
  auth: "public",
  rateLimit: { limit: 120, windowMs: 60_000 },
  status: 201,
  body: feedbackBatchBodySchema,
  response: feedbackBatchResultSchema,
  handler: async ({ request, db, body }) => {
    const principal = await authenticateRequest(db, request);
    // A session cookie must not be usable from another site (keys are not ambient).
    if (principal?.kind === "user" && request.headers.get("sec-fetch-site") === "cross-site")
      throw new ForbiddenError("Cross-site requests cannot use the session cookie; send an API key.");
    return submitFeedbackItems(db, principal, body);
  },
});
