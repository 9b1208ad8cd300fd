// A run's per-example results on the held-out test, for the Runs API and the run page: each example's
// input and expected output with the baseline's and the winner's output, error and score, paired by
// example key (optimize: the final test's baseline with its best; eval: the evaluation's phase alone —
// lib/core/step-ids.ts PHASES), in dataset row order, filterable by how the winner did. Page by page,
// and as a streamed download.
import type { ProjectAccess } from "@/lib/auth/principal";
import { csvLine } from "@/lib/core/csv";
import { PHASES } from "@/lib/core/step-ids";
import {
  type Db,
  getDatasetVersion,
  listExamplesPage,
  type PairedResult,
  pagePairedResults,
  type ResultCursor,
  type RunDetail,
} from "@/lib/db";
import { fieldError } from "@/lib/validation/parse";
import type { ResultView, RunResultItem, RunResultPage } from "@/lib/validation/runs";
import { type FileDownload, fileDownload, safeFileName } from "../file-download";
import { requireProjectRun } from "./reads";

export type { ResultView, RunResultItem, RunResultPage };

export interface RunResultsQuery {
  view: ResultView;
  cursor?: string | null;
  limit: number;
}

function toItem(result: PairedResult): RunResultItem {
  return { ...result, delta: result.winner ? result.winner.score - result.baseline.score : null };
}

function encodeResultCursor(cursor: ResultCursor): string {
  return Buffer.from(JSON.stringify(["r", cursor.rowNumber, cursor.key])).toString("base64url");
}

function decodeResultCursor(value: string | null | undefined): ResultCursor | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === "r" &&
      Number.isInteger(parsed[1]) &&
      typeof parsed[2] === "string"
    )
      return { rowNumber: parsed[1] as number, key: parsed[2] };
  } catch {}
  throw fieldError("query", "cursor", "not a cursor this API returned");
}

/** The phases a run's held-out results are in: the listed one and the one paired with it. */
function resultPhases(run: RunDetail): { phase: string; pairedPhase: string | null } {
  if (run.kind === "eval") return { phase: PHASES.evaluation, pairedPhase: null };
  // When no candidate beat the baseline, the best prompt is the baseline: its results are the winner's.
  const baselineIsBest = run.report?.kind === "optimize" && run.report.bestOrigin === null;
  return {
    phase: PHASES.finalTestBaseline,
    pairedPhase: baselineIsBest ? PHASES.finalTestBaseline : PHASES.finalTestBest,
  };
}

function checkView(run: RunDetail, view: ResultView): void {
  if (run.kind === "eval" && view !== "all")
    throw fieldError("query", "view", "an evaluation run has no winner to compare; use all");
}

async function pageOf(db: Db, run: RunDetail, view: ResultView, after: ResultCursor | null, limit: number) {
  return pagePairedResults(db, {
    runId: run.id,
    datasetVersionId: run.datasetVersionId,
    ...resultPhases(run),
    filter: view,
    after,
    limit,
  });
}

/** A page of a run of the project's held-out results (404 for a run of another project). */
export async function listRunResults(
  db: Db,
  access: ProjectAccess,
  runId: string,
  query: RunResultsQuery,
): Promise<RunResultPage> {
  const after = decodeResultCursor(query.cursor);
  const run = await requireProjectRun(db, access, runId);
  checkView(run, query.view);
  const page = await pageOf(db, run, query.view, after, query.limit);
  return { items: page.items.map(toItem), nextCursor: page.next ? encodeResultCursor(page.next) : null };
}

const DOWNLOAD_PAGE = 500;

const num = (value: number | null | undefined) =>
  value === null || value === undefined ? "" : String(value);

/**
 * A run's held-out results as CSV (row, key, one `input.<variable>` column per input variable,
 * expected, then output, score and error of baseline and winner, and delta) or JSONL (one result item
 * per line), streamed from the database a page at a time: never all rows in memory.
 */
export async function downloadRunResults(
  db: Db,
  access: ProjectAccess,
  runId: string,
  query: { format: "csv" | "jsonl"; view: ResultView },
): Promise<FileDownload> {
  const run = await requireProjectRun(db, access, runId);
  checkView(run, query.view);
  // The input variables: the version's input columns (versions stored by the CLI name none: then the
  // keys of its first example's input, which every example shares).
  const datasetVersion = await getDatasetVersion(db, run.datasetVersionId);
  const variables =
    datasetVersion?.inputColumns ??
    Object.keys(
      (await listExamplesPage(db, run.datasetVersionId, { afterRow: null, limit: 1 })).items[0]?.input ?? {},
    );
  const header = [
    "row",
    "key",
    ...variables.map((v) => `input.${v}`),
    "expected",
    "baseline_output",
    "baseline_score",
    "baseline_error",
    "winner_output",
    "winner_score",
    "winner_error",
    "delta",
  ];
  const render = (item: RunResultItem): string => {
    if (query.format === "jsonl") return `${JSON.stringify(item)}\n`;
    return csvLine([
      String(item.rowNumber),
      item.exampleKey,
      ...variables.map((v) => item.input[v] ?? ""),
      item.expected,
      item.baseline.output ?? "",
      num(item.baseline.score),
      item.baseline.error ?? "",
      item.winner?.output ?? "",
      num(item.winner?.score),
      item.winner?.error ?? "",
      num(item.delta),
    ]);
  };
  async function* chunks(): AsyncGenerator<string> {
    if (query.format === "csv") yield csvLine(header);
    let after: ResultCursor | null = null;
    do {
      const page = await pageOf(db, run, query.view, after, DOWNLOAD_PAGE);
      if (page.items.length > 0) yield page.items.map((r) => render(toItem(r))).join("");
      after = page.next;
    } while (after);
  }
  const suffix = query.view === "all" ? "" : `-${query.view}`;
  const name = `${safeFileName(run.taskName, "run")}-${run.id}-results${suffix}.${query.format}`;
  return fileDownload(chunks(), query.format, name);
}
