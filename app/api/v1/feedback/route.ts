// Feedback from applications (an API key or a session) and from browsers (the answer's signed token,
// no key): credentials are optional because the token is a credential of its own (the service checks
// it). A key or session is charged to its own API bucket; the per-IP limit is for token senders.
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
  auth: "optional",
  rateLimit: { limit: 600, windowMs: 60_000 },
  status: 201,
  body: feedbackBodySchema,
  response: feedbackResultSchema,
  handler: async ({ db, body, principal: sender }) => {
    // With a token the token says who may send what; a cookie sent along does not widen it. (A cookie
    // another site sent never counts: defineRoute treats such a caller as anonymous.)
    return submitFeedback(db, body.token === undefined ? sender : null, body);
  },
});
