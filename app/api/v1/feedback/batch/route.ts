// Feedback in bulk from server-side senders (an API key or a session): up to 100 items, each as the body
// of POST /api/v1/feedback, written together. A bad item is a 400 naming its index and field; an unknown
// or foreign target refuses the whole request (404/403 naming the item) with nothing written.
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
  // A key or session, charged to its own API bucket (no per-IP limit: one server sends for many users).
  auth: "any",
  status: 201,
  body: feedbackBatchBodySchema,
  response: feedbackBatchResultSchema,
  // defineRoute refuses a session cookie another site sent (403), as on every write.
  handler: ({ db, body, principal }) => submitFeedbackItems(db, principal, body),
});
