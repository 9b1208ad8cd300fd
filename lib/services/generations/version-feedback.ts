// A prompt version's feedback (viewers may read): per feedback name its count, mean, thumbs-up rate,
// negative judgments, categories and corrections, and the newest feedback page by page.
import type { ProjectAccess } from "@/lib/auth/principal";
import { type Db, type PageCursor, pageVersionFeedback, summarizeVersionFeedback } from "@/lib/db";
import type { FeedbackView } from "@/lib/validation/feedback";
import type { VersionFeedbackSummary } from "@/lib/validation/generations";
import { feedbackView } from "../feedback/record";
import type { Page } from "../pagination";
import { requireTask, requireVersion } from "../prompts/access";

/** The summary of the task's version `version` (404 when the task has no such version). */
export async function getVersionFeedbackSummary(
  db: Db,
  access: ProjectAccess,
  taskName: string,
  version: number,
): Promise<VersionFeedbackSummary> {
  const task = await requireTask(db, access, taskName);
  const found = await requireVersion(db, task, version);
  const stats = await summarizeVersionFeedback(db, found.id);
  return { version: found.version, versionId: found.id, ...stats };
}

/** The summary and one page of the version's feedback, newest first. */
export async function getVersionFeedback(
  db: Db,
  access: ProjectAccess,
  taskName: string,
  version: number,
  query: { cursor: PageCursor | null; limit: number },
): Promise<{ summary: VersionFeedbackSummary; page: Page<FeedbackView> }> {
  const summary = await getVersionFeedbackSummary(db, access, taskName, version);
  const page = await pageVersionFeedback(db, summary.versionId, query);
  return { summary, page: { items: page.items.map(feedbackView), next: page.next } };
}
