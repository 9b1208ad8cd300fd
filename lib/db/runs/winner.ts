// Saving a run's winner as a prompt version, at most once: by the engine for CLI runs (in the step
// SAVE_WINNER_STEP), by a user for runs started in the app (POST …/runs/{run}/winner, which writes the
// same step's record in the same transaction as the version).
import { ConflictError } from "@/lib/core/errors";
import { SAVE_WINNER_STEP } from "@/lib/core/step-ids";
import type { PromptState } from "@/lib/core/types";
import { readStored } from "@/lib/validation/stored-document";
import { savedWinnerStepSchema } from "@/lib/validation/stored-state";
import { type AuditActor, type AuditEntryInput, appendAudit, audited } from "../audit";
import type { Db, Tx } from "../client";
import { labelTransaction } from "../prompts/label-transaction";
import { type LabelChange, type LabelMove, type LabelScope, moveLabelIn } from "../prompts/labels";
import { createPromptVersionIn, type PromptVersionRecord } from "../prompts/versions";
import { retryOnUniqueViolation } from "../util";

export { SAVE_WINNER_STEP };

export interface SaveWinnerInput {
  runId: string;
  /** The project's organization, for the audit entry. */
  organizationId: string;
  content: PromptState;
  note: string;
}

/** The version a run's winner was saved as, or null: by the save step's record, else the run's best. */
async function savedWinnerVersion(
  client: Db | Tx,
  run: { id: string; baselineVersionId: string; bestVersionId: string | null },
): Promise<number | null> {
  const checkpoint = await client.stepCheckpoint.findUnique({
    where: { runId_stepId: { runId: run.id, stepId: SAVE_WINNER_STEP } },
    select: { result: true },
  });
  if (checkpoint) {
    const where = `run ${run.id}: step ${SAVE_WINNER_STEP}`;
    return readStored(savedWinnerStepSchema, JSON.parse(checkpoint.result), where)?.version ?? 0;
  }
  if (run.bestVersionId && run.bestVersionId !== run.baselineVersionId) {
    const best = await client.promptVersion.findUnique({
      where: { id: run.bestVersionId },
      select: { version: true },
    });
    return best?.version ?? 0;
  }
  return null;
}

/** The save itself, inside the caller's transaction: the version, the step's record, the run's best. */
async function writeWinner(
  tx: Tx,
  input: SaveWinnerInput,
): Promise<{ result: PromptVersionRecord; audit: AuditEntryInput }> {
  const run = await tx.optimizationRun.findUnique({
    where: { id: input.runId },
    select: {
      id: true,
      projectId: true,
      taskId: true,
      status: true,
      baselineVersionId: true,
      bestVersionId: true,
      task: { select: { name: true } },
    },
  });
  if (!run) throw new ConflictError(`run ${input.runId} no longer exists`);
  const saved = await savedWinnerVersion(tx, run);
  if (saved !== null) {
    throw new ConflictError(`the winner of run ${run.id} is already saved as version ${saved}`, {
      version: saved,
    });
  }
  if (run.status !== "succeeded")
    throw new ConflictError(`run ${run.id} is ${run.status}; only a succeeded run's winner can be saved`);
  const version = await createPromptVersionIn(tx, run.taskId, input.content, {
    source: "optimization",
    runId: run.id,
    note: input.note,
  });
  await tx.stepCheckpoint.create({
    data: {
      runId: run.id,
      stepId: SAVE_WINNER_STEP,
      result: JSON.stringify({ version: version.version }),
    },
  });
  await tx.optimizationRun.update({ where: { id: run.id }, data: { bestVersionId: version.id } });
  return {
    result: version,
    audit: {
      action: "run.winner_saved",
      organizationId: input.organizationId,
      projectId: run.projectId,
      targetType: "run",
      targetId: run.id,
      targetLabel: run.task.name,
      after: { task: run.task.name, version: version.version, promptVersionId: version.id },
    },
  };
}

/**
 * Saves a succeeded run's winner as a new prompt version (source "optimization") and points the run's
 * best version at it, in one transaction with its "run.winner_saved" audit entry and the save step's
 * record, so a run's winner is saved at most once (also against the engine's own save, and against
 * concurrent requests): a second save is a ConflictError naming the saved version.
 */
export function saveRunWinnerVersion(
  db: Db,
  input: SaveWinnerInput,
  actor: AuditActor,
): Promise<PromptVersionRecord> {
  return retryOnUniqueViolation(() => audited(db, actor, (tx) => writeWinner(tx, input)));
}

/**
 * `saveRunWinnerVersion`, and in the same transaction the label move that points `move.label` at the
 * saved version (lib/db/prompts/labels.ts: refused for a protected label or changed variables, which
 * leaves the winner unsaved too).
 */
export function saveRunWinnerAndLabel(
  db: Db,
  input: SaveWinnerInput,
  actor: AuditActor,
  scope: LabelScope,
  move: Omit<LabelMove, "toVersionId">,
): Promise<{ version: PromptVersionRecord; label: LabelChange }> {
  return labelTransaction(db, async (tx) => {
    const { result: version, audit } = await writeWinner(tx, input);
    await appendAudit(tx, actor, audit);
    const label = await moveLabelIn(tx, actor, scope, { ...move, toVersionId: version.id });
    return { version, label };
  });
}

/** Whether (and as which version number) a run's winner was saved. */
export async function getSavedWinnerVersion(db: Db, runId: string): Promise<number | null> {
  const run = await db.optimizationRun.findUnique({
    where: { id: runId },
    select: { id: true, baselineVersionId: true, bestVersionId: true },
  });
  return run ? savedWinnerVersion(db, run) : null;
}
