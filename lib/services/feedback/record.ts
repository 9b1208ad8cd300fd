// Recording feedback: with the answer's signed token (a browser: no key, feedback about exactly what the
// token names, as a "user"), or as a principal with access to the project of the generation or
// exposure — an unknown one is a 404, another project's a 403. A replayed idempotency key answers the
// first feedback and counts once.
import type { Principal } from "@/lib/auth/principal";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "@/lib/core/errors";
import {
  type Db,
  type FeedbackRecord,
  type FeedbackTarget,
  findExposureTarget,
  findGenerationTarget,
  getMembershipRole,
  recordFeedback,
} from "@/lib/db";
import type { FeedbackInput, FeedbackView } from "@/lib/validation/feedback";
import { fieldError } from "@/lib/validation/parse";
import { verifyFeedbackToken } from "./token";

export function feedbackView(record: FeedbackRecord): FeedbackView {
  const { idempotencyKey: _key, projectId: _project, ...view } = record;
  return view;
}

async function findTarget(
  db: Db,
  ids: { generationId?: string; exposureId?: string },
): Promise<FeedbackTarget> {
  if (ids.generationId !== undefined) {
    const found = await findGenerationTarget(db, ids.generationId);
    if (!found) throw new NotFoundError(`no generation "${ids.generationId}"`);
    return found;
  }
  if (ids.exposureId === undefined)
    throw fieldError("body", "generationId", "name the generation or exposure");
  const found = await findExposureTarget(db, ids.exposureId);
  if (!found) throw new NotFoundError(`no exposure "${ids.exposureId}"`);
  return found;
}

/** What the token allows, checked against what the body names (it may name less, never something else). */
async function targetOfToken(db: Db, token: string, input: FeedbackInput): Promise<FeedbackTarget> {
  const claims = await verifyFeedbackToken(db, token);
  const other = (field: "generationId" | "exposureId", claimed?: string) =>
    input[field] !== undefined && input[field] !== claimed;
  if (other("generationId", claims.generationId) || other("exposureId", claims.exposureId))
    throw new ForbiddenError("the feedback token is for another answer");
  const ids =
    input.exposureId !== undefined || claims.generationId === undefined
      ? { exposureId: claims.exposureId }
      : { generationId: claims.generationId };
  const target = await findTarget(db, ids);
  if (target.projectId !== claims.projectId)
    throw new ForbiddenError("the feedback token is for another project");
  return target;
}

async function targetOfPrincipal(
  db: Db,
  principal: Principal,
  input: FeedbackInput,
): Promise<FeedbackTarget> {
  const target = await findTarget(db, input);
  const allowed =
    principal.kind === "api_key"
      ? principal.projectId === target.projectId
      : (await getMembershipRole(db, target.projectId, principal.userId)) !== null;
  if (!allowed)
    throw new ForbiddenError("this generation or exposure belongs to a project you cannot access");
  return target;
}

function labelOf(principal: Principal | null): string {
  if (!principal) return "feedback token";
  return principal.kind === "api_key" ? principal.prefix : principal.email;
}

/** Stores the feedback (or answers the first one with the same key). */
export async function submitFeedback(
  db: Db,
  principal: Principal | null,
  input: FeedbackInput,
): Promise<FeedbackView & { replayed: boolean }> {
  let target: FeedbackTarget;
  if (input.token !== undefined) target = await targetOfToken(db, input.token, input);
  else if (principal) target = await targetOfPrincipal(db, principal, input);
  else
    throw new UnauthorizedError("Send an API key, sign in, or send the answer's feedback token as `token`.");
  const { value } = input;
  const { feedback, replayed } = await recordFeedback(db, target, {
    name: input.name,
    value: typeof value === "boolean" ? Number(value) : typeof value === "number" ? value : null,
    category: typeof value === "string" ? value : null,
    comment: input.comment ?? null,
    correction: input.correction ?? null,
    // A token holder is whoever saw the answer: their feedback is a user's, whatever they claim.
    source: input.token !== undefined ? "user" : input.source,
    idempotencyKey: input.idempotencyKey ?? null,
    actorLabel: input.token !== undefined ? "feedback token" : labelOf(principal),
  });
  return { ...feedbackView(feedback), replayed };
}
