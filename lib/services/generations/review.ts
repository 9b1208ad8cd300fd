// A reviewer's judgment of a generation (editors): the same feedback path as applications take
// (submitFeedback: idempotency, the version and experiment copied from the generation), with source
// "reviewer". A correction becomes an example when a dataset is built from feedback (../feedback/learning.ts).
import type { ProjectAccess } from "@/lib/auth/principal";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { type AuditActor, type Db, generationInTask } from "@/lib/db";
import type { FeedbackView } from "@/lib/validation/feedback";
import type { ReviewInput } from "@/lib/validation/generations";
import { submitFeedback } from "../feedback/record";
import { requireRole, requireTask } from "../prompts/access";

export async function reviewGeneration(
  db: Db,
  access: ProjectAccess,
  taskName: string,
  id: string,
  input: ReviewInput,
  actor: AuditActor,
): Promise<FeedbackView & { replayed: boolean }> {
  await requireRole(db, access, actor, "editor", { operation: "review a generation", target: id });
  const task = await requireTask(db, access, taskName);
  if (!(await generationInTask(db, task.id, id)))
    throw new NotFoundError(`prompt "${task.name}" has no generation "${id}"`);
  const { principal } = access;
  // The feedback names who sent it: a user or an API key (the CLI's operator sends none).
  if (principal.kind === "operator") throw new ForbiddenError("sign in or use an API key to review");
  return submitFeedback(db, principal, { ...input, generationId: id, source: "reviewer" });
}
