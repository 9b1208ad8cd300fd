// A run's per-example results of one phase paired with another phase by example key (the held-out
// baseline with the best prompt), with each example's input and expected output, a page at a time in
// dataset row order, filterable in SQL by how the paired score compares.

import type * as z from "zod";
import type { ResultView, runResultItemSchema } from "@/lib/validation/runs";
import { readStored } from "@/lib/validation/stored-document";
import { storedVariablesSchema } from "@/lib/validation/stored-state";
import type { Db } from "../client";
import { Prisma } from "../generated/sqlite/client";

export type ResultFilter = ResultView;

/** One example's results: the API's result item without the delta the service derives. */
export type PairedResult = Omit<z.output<typeof runResultItemSchema>, "delta">;
export type ResultSide = PairedResult["baseline"];

/** Where a page of results starts: after this example (dataset row order). */
export interface ResultCursor {
  rowNumber: number;
  key: string;
}

export interface PairedResultsQuery {
  runId: string;
  /** The run's dataset version: results join its examples by key. */
  datasetVersionId: string;
  /** The phase every listed example has a result in (lib/core/step-ids.ts PHASES). */
  phase: string;
  /** The phase paired with it by example key; null: none. */
  pairedPhase: string | null;
  /** Compares the paired score with the first one; anything but "all" needs `pairedPhase`. */
  filter: ResultFilter;
  after: ResultCursor | null;
  limit: number;
}

const FILTERS: Record<Exclude<ResultFilter, "all">, Prisma.Sql> = {
  regressed: Prisma.sql`AND w."score" < b."score"`,
  improved: Prisma.sql`AND w."score" > b."score"`,
  unchanged: Prisma.sql`AND w."score" = b."score"`,
};

/**
 * One page of a run's results of `phase`, paired with `pairedPhase` by example key, with each example's
 * input and expected output, in dataset row order (keyset over rowNumber, key). The page's keys come
 * from one SQL join (filtered in the database); its rows are then read by key.
 */
export async function pagePairedResults(
  db: Db,
  query: PairedResultsQuery,
): Promise<{ items: PairedResult[]; next: ResultCursor | null }> {
  const { runId, datasetVersionId, phase, pairedPhase, filter, after, limit } = query;
  if (filter !== "all" && !pairedPhase)
    throw new Error(`pagePairedResults: filter ${filter} needs a pairedPhase`);
  const join = pairedPhase
    ? Prisma.sql`LEFT JOIN "ExampleResult" w
        ON w."runId" = b."runId" AND w."phase" = ${pairedPhase} AND w."exampleKey" = b."exampleKey"`
    : Prisma.empty;
  const cursor = after
    ? Prisma.sql`AND (e."rowNumber" > ${after.rowNumber} OR (e."rowNumber" = ${after.rowNumber} AND e."key" > ${after.key}))`
    : Prisma.empty;
  const keys = await db.$queryRaw<{ key: string; rowNumber: number | bigint }[]>`
    SELECT e."key" AS "key", e."rowNumber" AS "rowNumber"
    FROM "ExampleResult" b
    JOIN "Example" e ON e."datasetVersionId" = ${datasetVersionId} AND e."key" = b."exampleKey"
    ${join}
    WHERE b."runId" = ${runId} AND b."phase" = ${phase} ${cursor} ${filter === "all" ? Prisma.empty : FILTERS[filter]}
    ORDER BY e."rowNumber" ASC, e."key" ASC
    LIMIT ${limit + 1}`;
  const page = keys.slice(0, limit).map((k) => ({ key: k.key, rowNumber: Number(k.rowNumber) }));
  const pageKeys = page.map((k) => k.key);
  const phases = pairedPhase && pairedPhase !== phase ? [phase, pairedPhase] : [phase];
  const [examples, results] = await Promise.all([
    db.example.findMany({
      where: { datasetVersionId, key: { in: pageKeys } },
      select: { key: true, input: true, expected: true },
    }),
    db.exampleResult.findMany({
      where: { runId, phase: { in: phases }, exampleKey: { in: pageKeys } },
      select: { phase: true, exampleKey: true, output: true, error: true, score: true },
    }),
  ]);
  const exampleByKey = new Map(examples.map((e) => [e.key, e]));
  const byPhaseKey = new Map(results.map((r) => [`${r.phase}\u0000${r.exampleKey}`, r]));
  const side = (p: string, key: string): ResultSide | null => {
    const r = byPhaseKey.get(`${p}\u0000${key}`);
    return r ? { output: r.output, error: r.error, score: r.score } : null;
  };
  const items = page.map(({ key, rowNumber }): PairedResult => {
    const example = exampleByKey.get(key);
    return {
      exampleKey: key,
      rowNumber,
      input: example
        ? readStored(
            storedVariablesSchema,
            example.input,
            `dataset version ${datasetVersionId}: example ${key}`,
          )
        : {},
      expected: example?.expected ?? "",
      baseline: side(phase, key) ?? { output: null, error: null, score: 0 },
      winner: pairedPhase ? side(pairedPhase, key) : null,
    };
  });
  const last = page[page.length - 1];
  return { items, next: keys.length > limit && last ? { rowNumber: last.rowNumber, key: last.key } : null };
}
