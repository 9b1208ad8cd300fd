import { defineRoute } from "@/lib/http/define-route";
import { testProjectCredential } from "@/lib/services/credentials/connection-test";
import {
  credentialParamsSchema,
  testConnectionBodySchema,
  testConnectionResultSchema,
} from "@/lib/validation/ml-settings";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/credentials/{credential}/test",
  summary: "Test the stored credential with one minimal real call; a provider error is reported, not thrown",
  description:
    "Sends one short request to the provider with the stored credential and the given `model`. " +
    "The answer says whether it worked and, if not, the provider's status and a short message; " +
    "the call itself answers 200 either way.",
  tags: ["ml-settings"],
  auth: { role: "admin" },
  params: credentialParamsSchema,
  body: testConnectionBodySchema,
  response: testConnectionResultSchema,
  rateLimit: { limit: 30, windowMs: 60_000 },
  handler: ({ db, access, params, body }) => testProjectCredential(db, access, params.credential, body),
});
