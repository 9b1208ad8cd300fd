// A project's overview: counts, recent runs with their scores, newest prompt versions, datasets.
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type DatasetSummary,
  type Db,
  overviewCounts,
  overviewDatasets,
  overviewPromptVersions,
  type ProjectCounts,
  type RecentPromptVersion,
} from "@/lib/db";
import { listProjectRuns, type RunSummary } from "./runs/reads";

export type { DatasetSummary, ProjectCounts, RecentPromptVersion };

export interface ProjectOverview {
  counts: ProjectCounts;
  runs: RunSummary[];
  promptVersions: RecentPromptVersion[];
  datasets: DatasetSummary[];
}

export async function getProjectOverview(
  db: Db,
  access: ProjectAccess,
  limits: { runs?: number; promptVersions?: number; datasets?: number } = {},
): Promise<ProjectOverview> {
  const projectId = access.project.id;
  const [counts, runs, promptVersions, datasets] = await Promise.all([
    overviewCounts(db, projectId),
    listProjectRuns(db, access, { limit: limits.runs ?? 8 }),
    overviewPromptVersions(db, projectId, limits.promptVersions ?? 8),
    overviewDatasets(db, projectId, limits.datasets ?? 8),
  ]);
  return { counts, runs: runs.items, promptVersions, datasets };
}
