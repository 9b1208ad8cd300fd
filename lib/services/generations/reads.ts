// A task's generations as the app and the API show them (viewers may read): the list with its filters,
// one generation whole with its feedback, and the counts the task page shows. Scoped to the caller's
// project through the task: a generation of another task or project is "not found".
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import {
  countTaskGenerations,
  type Db,
  type GenerationListRow,
  getTaskGeneration,
  type PageCursor,
  pageTaskGenerations,
} from "@/lib/db";
import {
  type GenerationDetail,
  type GenerationFilters,
  type GenerationSummary,
  OUTPUT_PREVIEW_CHARS,
} from "@/lib/validation/generations";
import { feedbackView } from "../feedback/record";
import type { Page } from "../pagination";
import { requireTask } from "../prompts/access";

function summary(row: GenerationListRow): GenerationSummary {
  const { output, versionId: _version, ...rest } = row;
  return { ...rest, outputPreview: output === null ? null : output.slice(0, OUTPUT_PREVIEW_CHARS) };
}

/** One page of the task's generations, newest first, filtered. */
export async function listTaskGenerations(
  db: Db,
  access: ProjectAccess,
  taskName: string,
  query: GenerationFilters & { cursor: PageCursor | null; limit: number },
): Promise<Page<GenerationSummary>> {
  const task = await requireTask(db, access, taskName);
  const { subject, experiment, ...rest } = query;
  const page = await pageTaskGenerations(db, {
    ...rest,
    taskId: task.id,
    subjectId: subject,
    experimentId: experiment,
  });
  return { items: page.items.map(summary), next: page.next };
}

/** The whole generation and its feedback (404 unless it is one of this task's). */
export async function getGenerationDetail(
  db: Db,
  access: ProjectAccess,
  taskName: string,
  id: string,
): Promise<GenerationDetail> {
  const task = await requireTask(db, access, taskName);
  const found = await getTaskGeneration(db, task.id, id);
  if (!found) throw new NotFoundError(`prompt "${task.name}" has no generation "${id}"`);
  return { ...found, feedback: found.feedback.map(feedbackView) };
}

/** How many generations the task has, and how many got feedback. */
export async function taskGenerationCounts(
  db: Db,
  access: ProjectAccess,
  taskName: string,
): Promise<{ total: number; withFeedback: number }> {
  const task = await requireTask(db, access, taskName);
  return countTaskGenerations(db, task.id);
}
