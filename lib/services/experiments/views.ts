// Experiment records as the API and the pages show them.
import type { ExperimentRecord, StoredAnalysis } from "@/lib/db";
import type { ExperimentDetail, ExperimentView } from "@/lib/validation/experiments";
import { EXPERIMENT_OUTCOMES } from "@/lib/validation/experiments";

type Outcome = (typeof EXPERIMENT_OUTCOMES)[number];
const isOutcome = (value: string | null): value is Outcome =>
  value !== null && (EXPERIMENT_OUTCOMES as readonly string[]).includes(value);

export function experimentView(record: ExperimentRecord, exposures: Map<string, number>): ExperimentView {
  const winner = record.variants.find((v) => v.id === record.winnerVariantId);
  return {
    id: record.id,
    name: record.name,
    task: record.taskName,
    label: record.label,
    status: record.status,
    mode: record.mode,
    metric: record.metric,
    guardrails: record.guardrails,
    alpha: record.alpha,
    baseline: record.baseline,
    minimumDetectableEffect: record.minimumDetectableEffect,
    standardDeviation: record.standardDeviation,
    plannedSamplePerVariant: record.plannedSamplePerVariant,
    maxDurationHours: record.maxDurationHours,
    decision: isOutcome(record.decision) ? record.decision : null,
    decisionReason: record.decisionReason,
    winnerVariant: winner?.index ?? null,
    promotion: record.promotion,
    promotionStatus: record.promotionStatus,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    stoppedAt: record.stoppedAt,
    lastAnalyzedAt: record.lastAnalyzedAt,
    variants: record.variants.map((v) => ({
      id: v.id,
      index: v.index,
      version: v.version,
      versionId: v.versionId,
      weight: v.weight,
      banditWeight: v.banditWeight,
      exposures: exposures.get(v.id) ?? 0,
    })),
  };
}

export function experimentDetailView(
  record: ExperimentRecord,
  exposures: Map<string, number>,
  analyses: StoredAnalysis[],
): ExperimentDetail {
  return { ...experimentView(record, exposures), analyses };
}
