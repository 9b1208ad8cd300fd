// What a backup holds, in the order a restore writes it: every table before the tables that point at
// it. A test (backup.test.ts) fails when a model is added to the schema without a place here.
import type { Db } from "../client";

export interface BackupTable {
  /** The Prisma model, as `Prisma.ModelName` spells it. */
  model: string;
  /** Its primary key fields: pages are read in this order, by key (never by offset). */
  key: string[];
  /**
   * Foreign keys that point forward in this order (a cycle): written as null with the rows and set once
   * the rows they point at exist.
   */
  deferred?: string[];
  /** Instance secrets: only in a backup that asks for them, encrypted with a passphrase. */
  secret?: true;
}

export const BACKUP_TABLES: BackupTable[] = [
  { model: "Organization", key: ["id"] },
  { model: "User", key: ["id"] },
  { model: "Project", key: ["id"] },
  { model: "ProjectTemplate", key: ["id"] },
  { model: "Membership", key: ["id"] },
  { model: "ApiKey", key: ["id"] },
  { model: "AuditLog", key: ["id"] },
  { model: "InstanceSecret", key: ["name"], secret: true },
  { model: "ModelConfig", key: ["id"] },
  { model: "MetricConfig", key: ["id"] },
  { model: "ProviderCredential", key: ["id"] },
  { model: "Task", key: ["id"] },
  // A version saved by a run points at the run, and the run at its baseline version.
  { model: "PromptVersion", key: ["id"], deferred: ["runId"] },
  { model: "Dataset", key: ["id"] },
  { model: "DatasetVersion", key: ["id"] },
  { model: "Example", key: ["id"] },
  { model: "OptimizationRun", key: ["id"] },
  { model: "Iteration", key: ["id"] },
  { model: "Candidate", key: ["id"] },
  { model: "ExampleResult", key: ["id"] },
  { model: "StepCheckpoint", key: ["id"] },
  { model: "BatchJob", key: ["id"] },
  { model: "BatchRow", key: ["batchId", "rowNumber"] },
  { model: "BatchIssue", key: ["id"] },
  { model: "PromptLabel", key: ["id"] },
  { model: "PromptLabelEvent", key: ["id"] },
  { model: "LabelChangeRequest", key: ["id"] },
  { model: "Experiment", key: ["id"] },
  { model: "ExperimentVariant", key: ["id"] },
  { model: "Exposure", key: ["id"] },
  { model: "ExperimentAnalysis", key: ["id"] },
  { model: "Generation", key: ["id"] },
  { model: "Feedback", key: ["id"] },
  { model: "FeedbackProposal", key: ["id"] },
  { model: "LlmCacheEntry", key: ["key"] },
];

/**
 * Models a backup leaves out on purpose: a lease belongs to the process that holds it, and a restored
 * instance starts with none (its jobs resume as any unfinished job does).
 */
export const NOT_BACKED_UP = ["JobLease"];

/**
 * Rows the migrations themselves insert (the default organization): a freshly migrated database holds
 * them and still counts as empty; a restore replaces them with the archive's.
 */
export const SEEDED_ROWS: Record<string, string[]> = { Organization: ["org_default"] };

type Row = Record<string, unknown>;

/** The model's delegate (`db.user`, `db.batchRow`…), typed loosely: the table list drives it. */
export interface ModelDelegate {
  findMany(args: { where?: Row; orderBy?: Row[]; take?: number }): Promise<Row[]>;
  update(args: { where: Row; data: Row }): Promise<Row>;
  count(args?: { where?: Row }): Promise<number>;
  deleteMany(args: { where: Row }): Promise<{ count: number }>;
}

export function delegateOf(db: Db | object, model: string): ModelDelegate {
  const name = model.charAt(0).toLowerCase() + model.slice(1);
  const delegate = (db as unknown as Record<string, ModelDelegate | undefined>)[name];
  if (!delegate) throw new Error(`backup: the database client has no model ${model}`);
  return delegate;
}
