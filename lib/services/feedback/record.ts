// Recording feedback: with the answer's signed token (a browser: no key, feedback about exactly what the
// token names, as a "user"), or as a principal with access to the project of the generation or
// exposure — an unknown one is a 404, another project's a 403. A replayed idempotency key answers the
// first feedback and counts once. Rows are written in batches with concurrent submissions
// (./batcher.ts); a request is answered once its row is committed.
import type { Principal } from "@/lib/auth/principal";
import { AppError, ForbiddenError, NotFoundError, UnauthorizedError } from "@/lib/core/errors";
import { hasRole, type Role } from "@/lib/core/roles";
import {
  type Db,
  FEEDBACK_TOKEN_ACTOR,
  type FeedbackRecord,
  type FeedbackTarget,
  findExposureTarget,
  findFeedbackTargets,
  findGenerationTarget,
  getMembershipRole,
  type NewFeedback,
} from "@/lib/db";
import type { FeedbackInput, FeedbackView } from "@/lib/validation/feedback";
import { fieldError } from "@/lib/validation/parse";
import { feedbackWriter } from "./batcher";
import { verifyFeedbackToken } from "./token";

export function feedbackView(record: FeedbackRecord): FeedbackView {
  const { idempotencyKey: _key, projectId: _project, ...view } = record;
  return view;
}

/** How targets and memberships are read: one query each, or (a batch) from what was read at once. */
interface Lookup {
  generation(id: string): Promise<FeedbackTarget | null>;
  exposure(id: string): Promise<FeedbackTarget | null>;
  role(projectId: string, userId: string): Promise<Role | null>;
}

const direct = (db: Db): Lookup => ({
  generation: (id) => findGenerationTarget(db, id),
  exposure: (id) => findExposureTarget(db, id),
  role: (projectId, userId) => getMembershipRole(db, projectId, userId),
});

/** The targets the items name read in two queries, the principal's role once per project. */
async function prefetched(db: Db, inputs: FeedbackInput[]): Promise<Lookup> {
  const named = (field: "generationId" | "exposureId") =>
    inputs.flatMap((input) => (input[field] === undefined ? [] : [input[field]]));
  const found = await findFeedbackTargets(db, {
    generationIds: named("generationId"),
    exposureIds: named("exposureId"),
  });
  const fallback = direct(db);
  const roles = new Map<string, Promise<Role | null>>();
  return {
    // Ids the items did not name (a token's) are read one by one.
    generation: async (id) => found.generations.get(id) ?? fallback.generation(id),
    exposure: async (id) => found.exposures.get(id) ?? fallback.exposure(id),
    role: (projectId, userId) => {
      const key = `${projectId}\n${userId}`;
      let role = roles.get(key);
      if (!role) {
        role = fallback.role(projectId, userId);
        roles.set(key, role);
      }
      return role;
    },
  };
}

async function findTarget(
  lookup: Lookup,
  ids: { generationId?: string; exposureId?: string },
): Promise<FeedbackTarget> {
  if (ids.generationId !== undefined) {
    const found = await lookup.generation(ids.generationId);
    if (!found) throw new NotFoundError(`no generation "${ids.generationId}"`);
    return found;
  }
  if (ids.exposureId === undefined)
    throw fieldError("body", "generationId", "name the generation or exposure");
  const found = await lookup.exposure(ids.exposureId);
  if (!found) throw new NotFoundError(`no exposure "${ids.exposureId}"`);
  return found;
}

/** What the token allows, checked against what the body names (it may name less, never something else). */
async function targetOfToken(
  db: Db,
  lookup: Lookup,
  token: string,
  input: FeedbackInput,
): Promise<FeedbackTarget> {
  const claims = await verifyFeedbackToken(db, token);
  const other = (field: "generationId" | "exposureId", claimed?: string) =>
    input[field] !== undefined && input[field] !== claimed;
  if (other("generationId", claims.generationId) || other("exposureId", claims.exposureId))
    throw new ForbiddenError("the feedback token is for another answer");
  const ids =
    input.exposureId !== undefined || claims.generationId === undefined
      ? { exposureId: claims.exposureId }
      : { generationId: claims.generationId };
  const target = await findTarget(lookup, ids);
  if (target.projectId !== claims.projectId)
    throw new ForbiddenError("the feedback token is for another project");
  return target;
}

async function targetOfPrincipal(
  lookup: Lookup,
  principal: Principal,
  input: FeedbackInput,
): Promise<FeedbackTarget> {
  const target = await findTarget(lookup, input);
  const role =
    principal.kind === "api_key"
      ? principal.projectId === target.projectId
        ? principal.role
        : null
      : await lookup.role(target.projectId, principal.userId);
  if (!role) throw new ForbiddenError("this generation or exposure belongs to a project you cannot access");
  // A reviewer's judgment (and correction) is what learning from feedback trusts most: an editor's.
  if (input.source === "reviewer" && !hasRole(role, "editor"))
    throw new ForbiddenError(`source "reviewer" needs the editor role (you have ${role})`, {
      issues: [{ in: "body", path: "source", message: "a reviewer is an editor: send source user" }],
    });
  return target;
}

function labelOf(principal: Principal | null): string {
  if (!principal) return FEEDBACK_TOKEN_ACTOR;
  return principal.kind === "api_key" ? principal.prefix : principal.email;
}

async function targetOf(
  db: Db,
  lookup: Lookup,
  principal: Principal | null,
  input: FeedbackInput,
): Promise<FeedbackTarget> {
  if (input.token !== undefined) return targetOfToken(db, lookup, input.token, input);
  if (principal) return targetOfPrincipal(lookup, principal, input);
  throw new UnauthorizedError("Send an API key, sign in, or send the answer's feedback token as `token`.");
}

/**
 * The idempotency key as stored: the sender's own (per API key, per user, or per answer for a token), so
 * that one sender can neither read another's feedback by replaying its key nor block it by using it
 * first. The unique index on project and key then holds per sender.
 */
function storedIdempotencyKey(
  principal: Principal | null,
  input: FeedbackInput,
  target: FeedbackTarget,
): string | null {
  if (input.idempotencyKey === undefined) return null;
  const sender =
    input.token !== undefined || !principal
      ? `token:${target.generationId ?? target.exposureId}`
      : principal.kind === "api_key"
        ? `key:${principal.keyId}`
        : `user:${principal.userId}`;
  return `${sender}\n${input.idempotencyKey}`;
}

function newFeedback(principal: Principal | null, input: FeedbackInput, target: FeedbackTarget): NewFeedback {
  const { value } = input;
  return {
    name: input.name,
    value: typeof value === "boolean" ? Number(value) : typeof value === "number" ? value : null,
    category: typeof value === "string" ? value : null,
    comment: input.comment ?? null,
    correction: input.correction ?? null,
    // A token holder is whoever saw the answer: their feedback is a user's, whatever they claim.
    source: input.token !== undefined ? "user" : input.source,
    idempotencyKey: storedIdempotencyKey(principal, input, target),
    actorLabel: input.token !== undefined ? FEEDBACK_TOKEN_ACTOR : labelOf(principal),
  };
}

/** Stores the feedback (or answers the first one with the same key). */
export async function submitFeedback(
  db: Db,
  principal: Principal | null,
  input: FeedbackInput,
): Promise<FeedbackView & { replayed: boolean }> {
  const target = await targetOf(db, direct(db), principal, input);
  const { feedback, replayed } = await feedbackWriter(db).write(
    target,
    newFeedback(principal, input, target),
  );
  return { ...feedbackView(feedback), replayed };
}

/**
 * Many feedback items at once (server-side senders): every item's target is found (the ids the items
 * name in one read) and checked first —
 * an unknown or foreign one refuses the whole request naming the item's index, with nothing written —
 * then the items are written together. The answers are in the order of the items.
 */
export async function submitFeedbackItems(
  db: Db,
  principal: Principal | null,
  inputs: FeedbackInput[],
): Promise<{ items: (FeedbackView & { replayed: boolean })[] }> {
  const lookup = await prefetched(db, inputs);
  const targets: FeedbackTarget[] = [];
  for (const [index, input] of inputs.entries()) {
    try {
      targets.push(await targetOf(db, lookup, principal, input));
    } catch (error) {
      if (error instanceof AppError) error.message = `item ${index}: ${error.message}`;
      throw error;
    }
  }
  const writer = feedbackWriter(db);
  const written = await Promise.all(
    inputs.map((input, i) => {
      const target = targets[i] as FeedbackTarget;
      return writer.write(target, newFeedback(principal, input, target));
    }),
  );
  return { items: written.map(({ feedback, replayed }) => ({ ...feedbackView(feedback), replayed })) };
}
