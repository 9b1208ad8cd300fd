// One generation of a task, whole (its variables parsed), with its feedback newest first; and feedback
// rows as the services see them.
import { FEEDBACK_SOURCES } from "@/lib/validation/feedback";
import { storedGenerationVariablesSchema } from "@/lib/validation/serving";
import { readStored } from "@/lib/validation/stored-document";
import type { Db } from "../client";
import type { FeedbackRecord } from "../experiments/feedback";
import { countGenerationFeedback, GENERATION_SELECT, type GenerationListRow, generationRow } from "./list";

/** At most this many feedback rows come with a generation. */
export const GENERATION_FEEDBACK_LIMIT = 200;

export interface GenerationDetailRecord extends GenerationListRow {
  variables: Record<string, string | number | boolean>;
  feedback: FeedbackRecord[];
}

type FeedbackRow = Omit<FeedbackRecord, "source"> & { source: string };

/** A stored feedback row, its source checked against the sources there are. */
export function feedbackRecord(row: FeedbackRow): FeedbackRecord {
  const source = FEEDBACK_SOURCES.find((s) => s === row.source);
  if (!source) throw new Error(`feedback ${row.id}: unknown source "${row.source}"`);
  return { ...row, source };
}

/** The task's generation with this id, or null (another task's, another project's, or none). */
export async function getTaskGeneration(
  db: Db,
  taskId: string,
  id: string,
): Promise<GenerationDetailRecord | null> {
  const row = await db.generation.findFirst({
    where: { id, taskId },
    select: {
      ...GENERATION_SELECT,
      variables: true,
      feedback: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: GENERATION_FEEDBACK_LIMIT },
    },
  });
  if (!row) return null;
  const { variables, feedback, ...selected } = row;
  const counts = await countGenerationFeedback(db, [id]);
  return {
    ...generationRow(selected, counts.get(id) ?? { total: 0, negative: 0, corrections: 0 }),
    variables: readStored(storedGenerationVariablesSchema, variables, `generation ${id}: variables`),
    feedback: feedback.map(feedbackRecord),
  };
}

/** Whether the task has a generation with this id. */
export async function generationInTask(db: Db, taskId: string, id: string): Promise<boolean> {
  return (await db.generation.count({ where: { id, taskId } })) > 0;
}
