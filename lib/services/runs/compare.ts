// Runs side by side (/projects/{p}/runs/compare?ids=…): for each run its models, held-out scores, what
// it spent and how long it took, why it stopped, and the prompt it ended with (the accepted candidate
// named by its report, or the baseline version when nothing beat it).
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError, NotFoundError } from "@/lib/core/errors";
import type { Db } from "@/lib/db";
import { getProjectRun, type ProjectRunDetail } from "./reads";

export const MAX_COMPARED_RUNS = 8;

/** The run ids of `?ids=a,b&ids=c`: split on commas, trimmed, deduplicated, in the order given. */
export function comparedRunIds(value: string | string[] | undefined): string[] {
  const raw = (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.split(","));
  return [...new Set(raw.map((id) => id.trim()).filter((id) => id !== ""))];
}

export interface ComparedRun {
  run: ProjectRunDetail;
  /** The prompt the run ended with; null while it has no report. */
  finalPrompt: { source: string; systemPrompt: string | null; outputPrompt: string | null } | null;
  iterationsRun: number;
  stopReason: string | null;
}

function finalPromptOf(run: ProjectRunDetail): ComparedRun["finalPrompt"] {
  const report = run.report;
  if (report?.kind !== "optimize") return null;
  const origin = report.bestOrigin;
  if (!origin)
    return {
      source: `the baseline, version ${run.references.baselineVersion.version}`,
      systemPrompt: null,
      outputPrompt: null,
    };
  const candidate = run.candidates.find(
    (c) => c.iteration === origin.iteration && c.index === origin.candidate,
  );
  return {
    source: `iteration ${origin.iteration}, candidate ${origin.candidate}`,
    systemPrompt: candidate?.systemPrompt ?? null,
    outputPrompt: candidate?.outputPrompt ?? null,
  };
}

/** The project's runs `ids` (2 to 8), each as the compare page shows it; 400 naming `ids` otherwise. */
export async function compareProjectRuns(
  db: Db,
  access: ProjectAccess,
  ids: string[],
): Promise<ComparedRun[]> {
  const problem = (message: string) =>
    new InputError(`ids: ${message}`, { issues: [{ in: "query", path: "ids", message }] });
  if (ids.length < 2) throw problem("select at least two runs to compare");
  if (ids.length > MAX_COMPARED_RUNS) throw problem(`compare at most ${MAX_COMPARED_RUNS} runs at a time`);
  const compared: ComparedRun[] = [];
  for (const id of ids) {
    let run: ProjectRunDetail;
    try {
      run = await getProjectRun(db, access, id);
    } catch (error) {
      if (error instanceof NotFoundError) throw problem(`no run "${id}" in this project`);
      throw error;
    }
    const report = run.report;
    compared.push({
      run,
      finalPrompt: finalPromptOf(run),
      iterationsRun: run.iterations.length,
      stopReason: report?.kind === "optimize" ? report.stopReason : null,
    });
  }
  return compared;
}
