// What the label repositories hand out: labels with their version number, history entries with version
// numbers, and the version rows a label change reads.
import type { ChangeRequestStatus, LabelAction } from "@/lib/validation/prompt-labels";
import { changeRequestStatusSchema, labelActionSchema } from "@/lib/validation/prompt-labels";
import { readStored } from "@/lib/validation/stored-document";
import type { Db, Tx } from "../client";
import type { LabelChangeRequest, PromptLabel, PromptLabelEvent } from "../generated/sqlite/client";

export interface LabelRecord {
  id: string;
  taskId: string;
  name: string;
  versionId: string;
  version: number;
  protected: boolean;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LabelEventRecord {
  id: string;
  taskId: string;
  label: string;
  action: LabelAction;
  fromVersionId: string | null;
  toVersionId: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  actor: { type: string; label: string };
  reason: string;
  evaluationRunId: string | null;
  changeRequestId: string | null;
  createdAt: Date;
}

export interface ChangeRequestRecord {
  id: string;
  taskId: string;
  label: string;
  status: ChangeRequestStatus;
  fromVersionId: string | null;
  toVersionId: string;
  fromVersion: number | null;
  toVersion: number;
  reason: string;
  evaluationRunId: string | null;
  requestedById: string | null;
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  appliedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const WITH_VERSION = { version: { select: { version: true } } } as const;

export function labelRecord(row: PromptLabel & { version: { version: number } }): LabelRecord {
  return {
    id: row.id,
    taskId: row.taskId,
    name: row.name,
    versionId: row.versionId,
    version: row.version.version,
    protected: row.protected,
    updatedBy: row.updatedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Version numbers by id, for rows that refer to versions by id. */
export async function versionNumbers(client: Db | Tx, ids: (string | null)[]): Promise<Map<string, number>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await client.promptVersion.findMany({
    where: { id: { in: wanted } },
    select: { id: true, version: true },
  });
  return new Map(rows.map((row) => [row.id, row.version]));
}

const numberOf = (numbers: Map<string, number>, id: string | null): number | null =>
  id === null ? null : (numbers.get(id) ?? null);

export function labelEventRecord(row: PromptLabelEvent, numbers: Map<string, number>): LabelEventRecord {
  return {
    id: row.id,
    taskId: row.taskId,
    label: row.label,
    action: readStored(labelActionSchema, row.action, `label event ${row.id}: action`),
    fromVersionId: row.fromVersionId,
    toVersionId: row.toVersionId,
    fromVersion: numberOf(numbers, row.fromVersionId),
    toVersion: numberOf(numbers, row.toVersionId),
    actor: { type: row.actorType, label: row.actorLabel },
    reason: row.reason,
    evaluationRunId: row.evaluationRunId,
    changeRequestId: row.changeRequestId,
    createdAt: row.createdAt,
  };
}

export async function labelEventRecords(
  client: Db | Tx,
  rows: PromptLabelEvent[],
): Promise<LabelEventRecord[]> {
  const numbers = await versionNumbers(
    client,
    rows.flatMap((row) => [row.fromVersionId, row.toVersionId]),
  );
  return rows.map((row) => labelEventRecord(row, numbers));
}

export async function changeRequestRecords(
  client: Db | Tx,
  rows: LabelChangeRequest[],
): Promise<ChangeRequestRecord[]> {
  const numbers = await versionNumbers(
    client,
    rows.flatMap((row) => [row.fromVersionId, row.toVersionId]),
  );
  return rows.map((row) => ({
    id: row.id,
    taskId: row.taskId,
    label: row.label,
    status: readStored(changeRequestStatusSchema, row.status, `change request ${row.id}: status`),
    fromVersionId: row.fromVersionId,
    toVersionId: row.toVersionId,
    fromVersion: numberOf(numbers, row.fromVersionId),
    toVersion: numbers.get(row.toVersionId) ?? 0,
    reason: row.reason,
    evaluationRunId: row.evaluationRunId,
    requestedById: row.requestedById,
    requestedBy: row.requestedBy,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    appliedAt: row.appliedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}
