// Comparing two versions of a task: the text diff (lib/core/prompt-diff.ts), which model parameters,
// serving model and variables changed, and their scores on each dataset version both were evaluated on.
import type { ProjectAccess } from "@/lib/auth/principal";
import { diffPromptContent } from "@/lib/core/prompt-diff";
import type { ModelParams } from "@/lib/core/types";
import { requiredVariableChanges, type VariableSchema } from "@/lib/core/variables";
import { type Db, listVersionEvaluations, type VersionEvaluation } from "@/lib/db";
import type { VersionComparison } from "@/lib/validation/prompt-compare";
import { requireTask, requireVersion } from "./access";
import { getPromptTask } from "./reads";

export type { VersionComparison };

/** Parameters whose value differs between `a` and `b` (null: not set), by name. */
export function changedParams(a: ModelParams, b: ModelParams) {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort() as (keyof ModelParams)[];
  return names
    .map((name) => ({ name, from: a[name] ?? null, to: b[name] ?? null }))
    .filter((p) => p.from !== p.to);
}

/** Variables declared by only one side, and by both but differently (type, default, enum, required). */
export function changedVariables(a: VariableSchema, b: VariableSchema) {
  const inA = Object.keys(a.properties);
  const inB = Object.keys(b.properties);
  const shape = (s: VariableSchema, name: string) =>
    JSON.stringify({ ...s.properties[name], description: undefined, required: s.required.includes(name) });
  return {
    added: inB.filter((name) => !inA.includes(name)),
    removed: inA.filter((name) => !inB.includes(name)),
    changed: inA.filter((name) => inB.includes(name) && shape(a, name) !== shape(b, name)),
  };
}

/** Per dataset version, each side's newest evaluation there — where both sides have one. */
export function scoresOnSameData(
  evaluations: (VersionEvaluation & { versionId: string })[],
  fromId: string,
  toId: string,
): VersionComparison["scores"] {
  const byDataset = new Map<string, { from?: VersionEvaluation; to?: VersionEvaluation }>();
  for (const { versionId, ...evaluation } of evaluations) {
    const entry = byDataset.get(evaluation.dataset.versionId) ?? {};
    if (versionId === fromId) entry.from ??= evaluation;
    if (versionId === toId) entry.to ??= evaluation;
    byDataset.set(evaluation.dataset.versionId, entry);
  }
  return [...byDataset.values()].flatMap(({ from, to }) =>
    from && to ? [{ dataset: from.dataset, from, to, sameRun: from.runId === to.runId }] : [],
  );
}

export async function compareTaskVersions(
  db: Db,
  access: ProjectAccess,
  name: string,
  fromNumber: number,
  toNumber: number,
): Promise<VersionComparison> {
  const task = await requireTask(db, access, name);
  const [from, to] = await Promise.all([
    requireVersion(db, task, fromNumber),
    requireVersion(db, task, toNumber),
  ]);
  const evaluations = await listVersionEvaluations(db, task.id, [...new Set([from.id, to.id])]);
  return {
    task: await getPromptTask(db, access, name),
    from,
    to,
    identical: from.contentHash === to.contentHash,
    fields: diffPromptContent(from, to),
    params: changedParams(from.params, to.params),
    model: { from: from.model, to: to.model, changed: from.model !== to.model },
    variables: {
      from: from.variableSchema,
      to: to.variableSchema,
      ...changedVariables(from.variableSchema, to.variableSchema),
      required: requiredVariableChanges(from.variableSchema, to.variableSchema),
    },
    scores: scoresOnSameData(evaluations, from.id, to.id),
  };
}
