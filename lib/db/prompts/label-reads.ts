// Reading a task's labels and their history.
import type { Db } from "../client";
import { keysetPage, type Page, type PageCursor } from "../pagination";
import {
  type LabelEventRecord,
  type LabelRecord,
  labelEventRecords,
  labelRecord,
  WITH_VERSION,
} from "./label-records";

/** The task's stored labels by name (`latest` is not stored). */
export async function listLabels(db: Db, taskId: string): Promise<LabelRecord[]> {
  const rows = await db.promptLabel.findMany({
    where: { taskId },
    orderBy: { name: "asc" },
    include: WITH_VERSION,
  });
  return rows.map(labelRecord);
}

export async function getLabel(db: Db, taskId: string, name: string): Promise<LabelRecord | null> {
  const row = await db.promptLabel.findUnique({
    where: { taskId_name: { taskId, name } },
    include: WITH_VERSION,
  });
  return row ? labelRecord(row) : null;
}

/** Labels of many versions at once (a version list shows where each label points). */
export async function labelsByVersion(db: Db, taskId: string): Promise<Map<string, string[]>> {
  const rows = await db.promptLabel.findMany({
    where: { taskId },
    orderBy: { name: "asc" },
    select: { name: true, versionId: true },
  });
  const byVersion = new Map<string, string[]>();
  for (const row of rows) byVersion.set(row.versionId, [...(byVersion.get(row.versionId) ?? []), row.name]);
  return byVersion;
}

/** The task's label history (one label's, when named), newest first. */
export function pageLabelEvents(
  db: Db,
  taskId: string,
  query: { label?: string; cursor?: PageCursor | null; limit: number },
): Promise<Page<LabelEventRecord>> {
  return keysetPage(query, async (where, take) => {
    const rows = await db.promptLabelEvent.findMany({
      where: { taskId, ...(query.label !== undefined ? { label: query.label } : {}), ...where },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
    return labelEventRecords(db, rows);
  });
}
