// Feedback on generations and exposures. Idempotent by key per project: the first row with a key is the
// answer to every replay (a race between two replays is decided by the unique index).
import { storedGenerationVariablesSchema } from "@/lib/validation/serving";
import { readStored } from "@/lib/validation/stored-document";
import type { Db } from "../client";
import { isUniqueViolation } from "../util";

/** The actor label of feedback sent with an answer's token: an end user, unauthenticated. */
export const FEEDBACK_TOKEN_ACTOR = "feedback token";

/**
 * The corrections learning from feedback trusts: sent by a reviewer, an API key or a member, not by an
 * anonymous token holder (who could write anything into the next dataset).
 */
export const trustedCorrection = (projectId: string, taskId: string) => ({
  projectId,
  correction: { not: null },
  generation: { taskId },
  actorLabel: { not: FEEDBACK_TOKEN_ACTOR },
});

/** What feedback can be about, as found by id: its project and, when there is one, the experiment. */
export interface FeedbackTarget {
  projectId: string;
  generationId: string | null;
  exposureId: string | null;
  experimentId: string | null;
  versionId: string | null;
}

export async function findGenerationTarget(db: Db, generationId: string): Promise<FeedbackTarget | null> {
  const row = await db.generation.findUnique({
    where: { id: generationId },
    select: {
      projectId: true,
      versionId: true,
      exposureId: true,
      exposure: { select: { experimentId: true } },
    },
  });
  if (!row) return null;
  return {
    projectId: row.projectId,
    generationId,
    exposureId: row.exposureId,
    experimentId: row.exposure?.experimentId ?? null,
    versionId: row.versionId,
  };
}

export async function findExposureTarget(db: Db, exposureId: string): Promise<FeedbackTarget | null> {
  const row = await db.exposure.findUnique({
    where: { id: exposureId },
    select: {
      experimentId: true,
      experiment: { select: { projectId: true } },
      variant: { select: { versionId: true } },
    },
  });
  if (!row) return null;
  return {
    projectId: row.experiment.projectId,
    generationId: null,
    exposureId,
    experimentId: row.experimentId,
    versionId: row.variant.versionId,
  };
}

/**
 * The targets of many generations and exposures in two queries (a batch of feedback names up to 100):
 * keyed by id; an unknown id is absent.
 */
export async function findFeedbackTargets(
  db: Db,
  ids: { generationIds: string[]; exposureIds: string[] },
): Promise<{ generations: Map<string, FeedbackTarget>; exposures: Map<string, FeedbackTarget> }> {
  const unique = (list: string[]) => [...new Set(list)];
  const [generations, exposures] = await Promise.all([
    ids.generationIds.length
      ? db.generation.findMany({
          where: { id: { in: unique(ids.generationIds) } },
          select: {
            id: true,
            projectId: true,
            versionId: true,
            exposureId: true,
            exposure: { select: { experimentId: true } },
          },
        })
      : [],
    ids.exposureIds.length
      ? db.exposure.findMany({
          where: { id: { in: unique(ids.exposureIds) } },
          select: {
            id: true,
            experimentId: true,
            experiment: { select: { projectId: true } },
            variant: { select: { versionId: true } },
          },
        })
      : [],
  ]);
  return {
    generations: new Map(
      generations.map((row) => [
        row.id,
        {
          projectId: row.projectId,
          generationId: row.id,
          exposureId: row.exposureId,
          experimentId: row.exposure?.experimentId ?? null,
          versionId: row.versionId,
        },
      ]),
    ),
    exposures: new Map(
      exposures.map((row) => [
        row.id,
        {
          projectId: row.experiment.projectId,
          generationId: null,
          exposureId: row.id,
          experimentId: row.experimentId,
          versionId: row.variant.versionId,
        },
      ]),
    ),
  };
}

export interface NewFeedback {
  name: string;
  value: number | null;
  category: string | null;
  comment: string | null;
  correction: string | null;
  source: "user" | "reviewer" | "automatic";
  idempotencyKey: string | null;
  actorLabel: string;
}

export interface FeedbackRecord extends NewFeedback {
  id: string;
  projectId: string;
  generationId: string | null;
  exposureId: string | null;
  experimentId: string | null;
  versionId: string | null;
  createdAt: Date;
}

const byKey = (db: Db, projectId: string, idempotencyKey: string) =>
  db.feedback.findUnique({ where: { projectId_idempotencyKey: { projectId, idempotencyKey } } });

function record(row: NonNullable<Awaited<ReturnType<typeof byKey>>>): FeedbackRecord {
  return { ...row, source: row.source as FeedbackRecord["source"] };
}

/** Stores the feedback, or returns the row a previous call with the same key stored (`replayed`). */
export async function recordFeedback(
  db: Db,
  target: FeedbackTarget,
  input: NewFeedback,
): Promise<{ feedback: FeedbackRecord; replayed: boolean }> {
  const key = input.idempotencyKey;
  if (key !== null) {
    const first = await byKey(db, target.projectId, key);
    if (first) return { feedback: record(first), replayed: true };
  }
  try {
    const row = await db.feedback.create({ data: { ...target, ...input } });
    return { feedback: record(row), replayed: false };
  } catch (error) {
    if (key === null || !isUniqueViolation(error)) throw error;
    const first = await byKey(db, target.projectId, key);
    if (!first) throw error;
    return { feedback: record(first), replayed: true };
  }
}

export interface FeedbackQuery {
  projectId: string;
  experimentId?: string;
  generationId?: string;
  versionId?: string;
  withCorrection?: boolean;
  limit: number;
}

/** The newest feedback first. */
export async function listFeedback(db: Db, query: FeedbackQuery): Promise<FeedbackRecord[]> {
  const rows = await db.feedback.findMany({
    where: {
      projectId: query.projectId,
      ...(query.experimentId ? { experimentId: query.experimentId } : {}),
      ...(query.generationId ? { generationId: query.generationId } : {}),
      ...(query.versionId ? { versionId: query.versionId } : {}),
      ...(query.withCorrection ? { correction: { not: null } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return rows.map(record);
}

export interface Correction {
  feedbackId: string;
  correction: string;
  variables: Record<string, string | number | boolean>;
}

/**
 * Trusted corrections (see `trustedCorrection`) of the task's generations (the inputs come from the
 * generation), oldest first.
 */
export async function listCorrections(
  db: Db,
  projectId: string,
  taskId: string,
  limit = 10_000,
): Promise<Correction[]> {
  const rows = await db.feedback.findMany({
    where: trustedCorrection(projectId, taskId),
    select: { id: true, correction: true, generation: { select: { id: true, variables: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
  });
  return rows.flatMap((row) =>
    row.generation && row.correction !== null
      ? [
          {
            feedbackId: row.id,
            correction: row.correction,
            variables: readStored(
              storedGenerationVariablesSchema,
              row.generation.variables,
              `generation ${row.generation.id}: variables`,
            ),
          },
        ]
      : [],
  );
}
