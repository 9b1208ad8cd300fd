// Experiments and their variants: created as drafts, started, paused, resumed and stopped — each change
// one transaction with its audit entry. "At most one active (running or paused) experiment per task and
// label" is the unique `activeKey`, so two concurrent starts cannot both win.
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { type PromotionStatus, promotionText } from "@/lib/validation/experiment-promotion";
import {
  type ExperimentMetric,
  type ExperimentStatus,
  type Guardrail,
  storedGuardrailsSchema,
  storedMetricSchema,
} from "@/lib/validation/experiments";
import { readStored } from "@/lib/validation/stored-document";
import { type AuditActor, type AuditEntryInput, audited } from "../audit";
import type { Db, Tx } from "../client";
import { isUniqueViolation, json } from "../util";
import { queuedPromotion, readPromotion } from "./promotions";

export interface ExperimentScope {
  projectId: string;
  organizationId: string;
}

export interface ExperimentVariantRecord {
  id: string;
  index: number;
  versionId: string;
  version: number;
  weight: number;
  banditWeight: number | null;
}

export interface ExperimentRecord {
  id: string;
  projectId: string;
  taskId: string;
  taskName: string;
  name: string;
  label: string;
  status: ExperimentStatus;
  mode: "fixed" | "bandit";
  metric: ExperimentMetric;
  guardrails: Guardrail[];
  alpha: number;
  baseline: number;
  minimumDetectableEffect: number;
  standardDeviation: number | null;
  plannedSamplePerVariant: number;
  maxDurationHours: number;
  decision: string | null;
  decisionReason: string | null;
  winnerVariantId: string | null;
  /** What happened to the label at the decision, for people (the promotion job's state or outcome). */
  promotion: string | null;
  promotionStatus: PromotionStatus | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
  lastAnalyzedAt: Date | null;
  variants: ExperimentVariantRecord[];
}

export const EXPERIMENT_INCLUDE = {
  task: { select: { name: true } },
  variants: { orderBy: { index: "asc" }, include: { version: { select: { version: true } } } },
} as const;

type ExperimentRow = Awaited<ReturnType<typeof findRow>> & object;

function findRow(db: Db | Tx, id: string) {
  return db.experiment.findUnique({ where: { id }, include: EXPERIMENT_INCLUDE });
}

export function experimentRecord(row: ExperimentRow): ExperimentRecord {
  const where = `experiment ${row.id}`;
  const promotion = readPromotion(row.promotion, row.winnerVariantId, `${where}: promotion`);
  return {
    id: row.id,
    projectId: row.projectId,
    taskId: row.taskId,
    taskName: row.task.name,
    name: row.name,
    label: row.label,
    status: row.status as ExperimentStatus,
    mode: row.mode === "bandit" ? "bandit" : "fixed",
    metric: readStored(storedMetricSchema, row.metric, `${where}: metric`),
    guardrails: readStored(storedGuardrailsSchema, row.guardrails, `${where}: guardrails`),
    alpha: row.alpha,
    baseline: row.baseline,
    minimumDetectableEffect: row.minimumDetectableEffect,
    standardDeviation: row.standardDeviation,
    plannedSamplePerVariant: row.plannedSamplePerVariant,
    maxDurationHours: row.maxDurationHours,
    decision: row.decision,
    decisionReason: row.decisionReason,
    winnerVariantId: row.winnerVariantId,
    promotion: promotion && promotionText(promotion),
    promotionStatus: promotion?.status ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    stoppedAt: row.stoppedAt,
    lastAnalyzedAt: row.lastAnalyzedAt,
    variants: row.variants.map((v) => ({
      id: v.id,
      index: v.index,
      versionId: v.versionId,
      version: v.version.version,
      weight: v.weight,
      banditWeight: v.banditWeight,
    })),
  };
}

function auditOf(
  scope: ExperimentScope,
  action: string,
  e: { id: string; name: string },
  after: object,
): AuditEntryInput {
  return {
    action: `experiment.${action}` as AuditEntryInput["action"],
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    targetType: "experiment",
    targetId: e.id,
    targetLabel: e.name,
    after: after as Record<string, unknown>,
  };
}

export interface NewExperiment {
  taskId: string;
  name: string;
  label: string;
  mode: "fixed" | "bandit";
  metric: ExperimentMetric;
  guardrails: Guardrail[];
  alpha: number;
  baseline: number;
  minimumDetectableEffect: number;
  standardDeviation: number | null;
  plannedSamplePerVariant: number;
  maxDurationHours: number;
  variants: { versionId: string; weight: number }[];
}

export function createExperiment(
  db: Db,
  actor: AuditActor,
  scope: ExperimentScope,
  input: NewExperiment,
): Promise<ExperimentRecord> {
  return audited(db, actor, async (tx) => {
    const { variants, metric, guardrails, ...fields } = input;
    const row = await tx.experiment.create({
      data: {
        ...fields,
        projectId: scope.projectId,
        metric: json(metric),
        guardrails: json(guardrails),
        createdBy: actor.label,
        variants: {
          create: variants.map((v, index) => ({ index, versionId: v.versionId, weight: v.weight })),
        },
      },
      include: EXPERIMENT_INCLUDE,
    });
    const record = experimentRecord(row);
    return {
      result: record,
      audit: auditOf(scope, "created", record, {
        label: record.label,
        mode: record.mode,
        versions: record.variants.map((v) => v.version),
      }),
    };
  });
}

export async function getExperiment(
  db: Db | Tx,
  projectId: string,
  id: string,
): Promise<ExperimentRecord | null> {
  const row = await findRow(db, id);
  return row && row.projectId === projectId ? experimentRecord(row) : null;
}

export async function listExperiments(
  db: Db,
  projectId: string,
  filter: { status?: ExperimentStatus; taskId?: string } = {},
): Promise<ExperimentRecord[]> {
  const rows = await db.experiment.findMany({
    where: { projectId, ...filter },
    include: EXPERIMENT_INCLUDE,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 500,
  });
  return rows.map(experimentRecord);
}

/** Every running experiment of every project (the scheduled analysis walks them). */
export async function listRunningExperimentIds(db: Db): Promise<{ id: string; projectId: string }[]> {
  return db.experiment.findMany({ where: { status: "running" }, select: { id: true, projectId: true } });
}

/** Which statuses each change may start from, and where it leads. */
const TRANSITIONS = {
  started: { from: ["draft"], to: "running" },
  paused: { from: ["running"], to: "paused" },
  resumed: { from: ["paused"], to: "running" },
  stopped: { from: ["running", "paused", "draft"], to: "stopped" },
} as const satisfies Record<string, { from: ExperimentStatus[]; to: ExperimentStatus }>;
export type ExperimentChange = keyof typeof TRANSITIONS;

export interface StopOutcome {
  decision: string;
  reason: string;
  winnerVariantId?: string | null;
  /** Queue the promotion of the winner (the `experiment-promotion` job) with the stop, atomically. */
  promote?: boolean;
}

/** Starts, pauses, resumes or stops the experiment (409 from a status the change cannot leave). */
export async function changeExperimentStatus(
  db: Db,
  actor: AuditActor,
  scope: ExperimentScope,
  id: string,
  change: ExperimentChange,
  outcome?: StopOutcome,
): Promise<ExperimentRecord> {
  try {
    return await audited(db, actor, async (tx) => {
      const current = await getExperiment(tx, scope.projectId, id);
      if (!current) throw new NotFoundError(`no experiment "${id}" in this project`);
      const rule = TRANSITIONS[change];
      if (!(rule.from as readonly string[]).includes(current.status))
        throw new ConflictError(`experiment "${current.name}" is ${current.status}: it cannot be ${change}`, {
          status: current.status,
        });
      const now = new Date();
      const active = rule.to === "running" || rule.to === "paused";
      const stopping = rule.to === "stopped";
      // Compare-and-set on the status: a concurrent change of the same experiment loses with a 409.
      const { count } = await tx.experiment.updateMany({
        where: { id, status: current.status },
        data: {
          status: rule.to,
          activeKey: active ? `${current.taskId}:${current.label}` : null,
          ...(change === "started" ? { startedAt: now } : {}),
          ...(stopping
            ? {
                stoppedAt: now,
                decision: outcome?.decision ?? "stopped",
                decisionReason: outcome?.reason ?? "stopped by hand",
                winnerVariantId: outcome?.winnerVariantId ?? null,
                promotion:
                  outcome?.promote && outcome.winnerVariantId
                    ? queuedPromotion(outcome.winnerVariantId)
                    : null,
              }
            : {}),
        },
      });
      if (count !== 1) throw new ConflictError(`experiment "${current.name}" changed meanwhile: try again`);
      const record = (await getExperiment(tx, scope.projectId, id)) as ExperimentRecord;
      return {
        result: record,
        audit: auditOf(scope, change, record, {
          status: record.status,
          ...(stopping ? { decision: record.decision, reason: record.decisionReason } : {}),
        }),
      };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Named after the fact (the transaction that hit the unique key is gone): the one holding the label.
    const current = await db.experiment.findUnique({ where: { id }, select: { taskId: true, label: true } });
    const holder = current
      ? await db.experiment.findUnique({
          where: { activeKey: `${current.taskId}:${current.label}` },
          select: { id: true, name: true, status: true },
        })
      : null;
    throw new ConflictError(
      holder
        ? `experiment "${holder.name}" is ${holder.status} on label "${current?.label}": stop it first`
        : "another experiment already runs on this label: stop it first",
      { issues: [], ...(holder ? { experimentId: holder.id, status: holder.status } : {}) },
    );
  }
}
