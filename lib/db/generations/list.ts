// A task's generations, newest first, page by page (keyset over createdAt, id), with the filters of the
// generations list, and the feedback counts of each generation on the page (two grouped queries).

import type { Db } from "../client";
import type { Prisma } from "../generated/sqlite/client";
import { keysetPage, type Page, type PageCursor } from "../pagination";

/** A judgment is negative when its value is at most this (a thumbs-down is 0). */
export const NEGATIVE_AT_MOST = 0;

export interface GenerationListQuery {
  taskId: string;
  version?: number;
  label?: string;
  subjectId?: string;
  experimentId?: string;
  feedback?: "any" | "none" | "negative";
  cursor?: PageCursor | null;
  limit: number;
}

export interface GenerationFeedbackCounts {
  total: number;
  negative: number;
  corrections: number;
}

export interface GenerationExperimentRef {
  id: string;
  name: string;
  variant: number;
  exposureId: string;
}

export interface GenerationListRow {
  id: string;
  versionId: string;
  version: number;
  label: string | null;
  model: string;
  createdAt: Date;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cached: boolean;
  error: string | null;
  subjectId: string | null;
  output: string | null;
  experiment: GenerationExperimentRef | null;
  feedbackCounts: GenerationFeedbackCounts;
}

export const GENERATION_SELECT = {
  id: true,
  versionId: true,
  label: true,
  model: true,
  createdAt: true,
  latencyMs: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  cached: true,
  error: true,
  subjectId: true,
  output: true,
  version: { select: { version: true } },
  exposure: {
    select: {
      id: true,
      experiment: { select: { id: true, name: true } },
      variant: { select: { index: true } },
    },
  },
} as const;

type SelectedRow = Prisma.GenerationGetPayload<{ select: typeof GENERATION_SELECT }>;

export function generationRow(row: SelectedRow, counts: GenerationFeedbackCounts): GenerationListRow {
  const { version, exposure, ...rest } = row;
  return {
    ...rest,
    version: version.version,
    experiment: exposure
      ? {
          id: exposure.experiment.id,
          name: exposure.experiment.name,
          variant: exposure.variant.index,
          exposureId: exposure.id,
        }
      : null,
    feedbackCounts: counts,
  };
}

const NO_FEEDBACK: GenerationFeedbackCounts = { total: 0, negative: 0, corrections: 0 };

/** Feedback counts of each of these generations (absent: none). */
export async function countGenerationFeedback(
  db: Db,
  generationIds: string[],
): Promise<Map<string, GenerationFeedbackCounts>> {
  if (generationIds.length === 0) return new Map();
  const where = { generationId: { in: generationIds } };
  const [all, negative] = await Promise.all([
    db.feedback.groupBy({ by: ["generationId"], where, _count: { _all: true, correction: true } }),
    db.feedback.groupBy({
      by: ["generationId"],
      where: { ...where, value: { lte: NEGATIVE_AT_MOST } },
      _count: { _all: true },
    }),
  ]);
  const negatives = new Map(negative.map((g) => [g.generationId, g._count._all]));
  return new Map(
    all.flatMap((g) =>
      g.generationId === null
        ? []
        : [
            [
              g.generationId,
              {
                total: g._count._all,
                negative: negatives.get(g.generationId) ?? 0,
                corrections: g._count.correction,
              },
            ],
          ],
    ),
  );
}

function filterWhere(query: GenerationListQuery): Prisma.GenerationWhereInput {
  const feedback =
    query.feedback === "any"
      ? { feedback: { some: {} } }
      : query.feedback === "none"
        ? { feedback: { none: {} } }
        : query.feedback === "negative"
          ? { feedback: { some: { value: { lte: NEGATIVE_AT_MOST } } } }
          : {};
  return {
    taskId: query.taskId,
    ...(query.version !== undefined ? { version: { version: query.version } } : {}),
    ...(query.label !== undefined ? { label: query.label } : {}),
    ...(query.subjectId !== undefined ? { subjectId: query.subjectId } : {}),
    ...(query.experimentId !== undefined ? { exposure: { experimentId: query.experimentId } } : {}),
    ...feedback,
  };
}

/** One page of the task's generations, newest first. */
export async function pageTaskGenerations(
  db: Db,
  query: GenerationListQuery,
): Promise<Page<GenerationListRow>> {
  const page = await keysetPage(query, (keyset, take) =>
    db.generation.findMany({
      where: { AND: [filterWhere(query), keyset] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: GENERATION_SELECT,
    }),
  );
  const counts = await countGenerationFeedback(
    db,
    page.items.map((g) => g.id),
  );
  return { items: page.items.map((g) => generationRow(g, counts.get(g.id) ?? NO_FEEDBACK)), next: page.next };
}

/** How many generations the task has, and how many of them got feedback. */
export async function countTaskGenerations(
  db: Db,
  taskId: string,
): Promise<{ total: number; withFeedback: number }> {
  const [total, withFeedback] = await Promise.all([
    db.generation.count({ where: { taskId } }),
    db.generation.count({ where: { taskId, feedback: { some: {} } } }),
  ]);
  return { total, withFeedback };
}
