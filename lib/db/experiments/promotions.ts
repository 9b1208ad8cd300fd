// The promotion job's durable record: the experiment's `promotion` column (lib/validation/
// experiment-promotion.ts). It is queued in the same transaction that stops the experiment on a winner
// (experiments.ts), so a stop never loses its promotion; the job then moves it by compare-and-set on the
// column's text. The document is written with `status` first, so unfinished promotions are found by a
// prefix of the text (the schema is frozen: no status column of its own).
import {
  type PromotionStatus,
  type StoredPromotion,
  storedPromotionSchema,
} from "@/lib/validation/experiment-promotion";
import { readStored } from "@/lib/validation/stored-document";
import type { Db } from "../client";

function encode(promotion: StoredPromotion): string {
  const { status, schemaVersion, winnerVariantId, outcome, error, failedStep } = promotion;
  return JSON.stringify({ status, schemaVersion, winnerVariantId, outcome, error, failedStep });
}

const prefix = (status: PromotionStatus) => `{"status":"${status}"`;

/** The `promotion` text of a promotion queued for `winnerVariantId`. */
export function queuedPromotion(winnerVariantId: string): string {
  return encode({
    status: "queued",
    schemaVersion: 1,
    winnerVariantId,
    outcome: null,
    error: null,
    failedStep: null,
  });
}

/** The stored column as a promotion; null when there is none. Plain text is an earlier outcome. */
export function readPromotion(
  text: string | null,
  winnerVariantId: string | null,
  where: string,
): StoredPromotion | null {
  if (text === null) return null;
  if (!text.startsWith("{"))
    return {
      status: "succeeded",
      schemaVersion: 1,
      winnerVariantId: winnerVariantId ?? "",
      outcome: text,
      error: null,
      failedStep: null,
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return readStored(storedPromotionSchema, value, where);
}

export interface PromotionJobRecord {
  /** The experiment's id: one promotion per experiment (it is decided once). */
  id: string;
  projectId: string;
  taskId: string;
  label: string;
  promotion: StoredPromotion;
}

const where = (id: string) => `experiment ${id}: promotion`;

async function readRow(db: Db, id: string) {
  return db.experiment.findUnique({
    where: { id },
    select: { id: true, projectId: true, taskId: true, label: true, promotion: true, winnerVariantId: true },
  });
}

/** The promotion job of experiment `id`; null when the experiment has none. */
export async function getPromotionJob(db: Db, id: string): Promise<PromotionJobRecord | null> {
  const row = await readRow(db, id);
  const promotion = row && readPromotion(row.promotion, row.winnerVariantId, where(id));
  if (!row || !promotion) return null;
  return { id, projectId: row.projectId, taskId: row.taskId, label: row.label, promotion };
}

export type PromotionChange = Partial<Pick<StoredPromotion, "outcome" | "error" | "failedStep">> & {
  status: PromotionStatus;
};

/**
 * Moves the promotion from one of `from` to `to` (compare-and-set on the stored text, tried again when
 * another writer changed it meanwhile): true when it changed.
 */
export async function movePromotion(
  db: Db,
  id: string,
  from: PromotionStatus[],
  to: PromotionChange,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await readRow(db, id);
    const current = row && readPromotion(row.promotion, row.winnerVariantId, where(id));
    if (!row || !current || !from.includes(current.status)) return false;
    const next = encode({ ...current, ...to });
    const { count } = await db.experiment.updateMany({
      where: { id, promotion: row.promotion },
      data: { promotion: next },
    });
    if (count === 1) return true;
  }
  return false;
}

/** Experiments whose promotion is queued or running, the oldest stop first. */
export async function listUnfinishedPromotions(db: Db): Promise<{ id: string }[]> {
  return db.experiment.findMany({
    where: {
      OR: [{ promotion: { startsWith: prefix("queued") } }, { promotion: { startsWith: prefix("running") } }],
    },
    select: { id: true },
    orderBy: [{ stoppedAt: "asc" }, { id: "asc" }],
  });
}

/**
 * A change request `requestedBy` opened since `since` to point the label at `toVersionId`, if any: a
 * promotion whose step ran again finds the request it opened instead of opening a second one.
 */
export async function findRequestedLabelChange(
  db: Db,
  query: { taskId: string; label: string; toVersionId: string; requestedBy: string; since: Date },
): Promise<string | null> {
  const row = await db.labelChangeRequest.findFirst({
    where: {
      taskId: query.taskId,
      label: query.label,
      toVersionId: query.toVersionId,
      requestedBy: query.requestedBy,
      createdAt: { gte: query.since },
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return row?.id ?? null;
}
