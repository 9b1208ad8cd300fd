// Starting an optimization run from stored data (what the REST API calls): check a run spec completely
// (task, prompt version, dataset version and its examples against the template, models and their
// credentials, metrics, strategy, settings), store a queued run holding the resolved config, and hand it
// to the active runner.
import type * as z from "zod";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { promptVariables } from "@/lib/core/prompt";
import type { PromptState } from "@/lib/core/types";
import {
  type AuditActor,
  createRun,
  type Db,
  getLatestPromptVersion,
  getMetricConfig,
  getProjectDatasetVersion,
  getPromptVersion,
  listExamples,
  type RunAudit,
} from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import type { Env } from "@/lib/llm/providers/index";
import { isMetricName } from "@/lib/metrics/registry";
import type { JobTarget } from "@/lib/runner/job-kind";
import { activeRunner, type RunnerName } from "@/lib/runner/runner-choice";
import { expandUnionIssues } from "@/lib/validation/parse";
import {
  type CreatedRun as CreatedRunView,
  type RunSpecInput,
  runSpecSchema,
  type StoredRunConfig,
  storedRunConfigSchema,
} from "@/lib/validation/runs";
import type { MetricConfig } from "@/lib/validation/task-file";
import { checkModelsBuild, resolveProviderCredentials, runModels } from "../credentials/for-models";
import { handOverJob, optimizationRunJob, refuseUnfitJob, runLimitProblem } from "../jobs";
import { requireActiveProject } from "../projects";
import { checkModelId, findProjectTask, modelFromRef, SpecRefProblem } from "../spec-refs";
import { describeIssues } from "../task-file";
import { buildRunContext, type RunContext } from "./context";

export interface RunServiceOptions {
  /** Default: `activeRunner()` (STROP_RUNNER, INNGEST_EVENT_KEY, INNGEST_DEV). */
  runner?: RunnerName;
  /** Where credentials are looked up (default process.env). */
  env?: Env;
  /**
   * Hands the stored run to something else than the active runner (tests, tools); with a no-op the run
   * stays queued until a runner picks it up (`resumeUnfinishedRuns`, `strop runs resume`).
   */
  dispatch?: (run: JobTarget) => Promise<void>;
  /** Who asked (API): the run's creation and cancellation are audited with it. */
  audit?: RunAudit;
}

/** Bad input naming the spec's field (over HTTP: `details.issues` with `in: "body"`). */
function fieldError(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, { issues: [{ in: "body", path: field, message }] });
}

type ZodIssueLike = { path: PropertyKey[]; message: string };

function specError(raw: ZodIssueLike[]): InputError {
  const issues = expandUnionIssues(raw as z.core.$ZodIssue[]);
  return new InputError(`invalid run spec\n  ${describeIssues(issues)}`, {
    issues: issues.map((i) => ({ in: "body", path: i.path.map(String).join("."), message: i.message })),
  });
}

/** A SpecRefProblem from `fn` as bad input naming `field`. */
async function naming<T>(field: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SpecRefProblem) throw fieldError(field, error.message);
    throw error;
  }
}

type BodyIssue = { in: "body"; path: string; message: string };

/**
 * Looks up the spec's references (task, prompt version, dataset, models, metrics) one by one and keeps
 * every bad one, so that the 400 names them all rather than the first.
 */
class ReferenceProblems {
  private readonly issues: BodyIssue[] = [];

  async take<T>(field: string, fn: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await naming(field, fn);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const found = (error.details as { issues?: BodyIssue[] } | undefined)?.issues;
      this.issues.push(...(found ?? [{ in: "body", path: field, message: error.message }]));
      return undefined;
    }
  }

  /** The values found, or one InputError naming every bad reference. */
  done<T extends Record<string, unknown>>(values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
    if (this.issues.length > 0) {
      const lines = this.issues.map((issue) => `${issue.path}: ${issue.message}`);
      throw new InputError(`invalid run spec\n  ${lines.join("\n  ")}`, { issues: this.issues });
    }
    return values as { [K in keyof T]: Exclude<T[K], undefined> };
  }
}

async function resolveMetric(db: Db, projectId: string, ref: unknown, field: string): Promise<unknown> {
  if (typeof ref !== "string") return ref;
  const config = await getMetricConfig(db, projectId, ref);
  if (config) {
    return { name: config.metric, options: config.options, weight: config.weight } satisfies MetricConfig;
  }
  if (isMetricName(ref)) return { name: ref };
  throw fieldError(field, `no metric configuration named "${ref}" and no registered metric "${ref}"`);
}

/** A model reference resolved, its id checked too when it is an inline configuration ("sim:nope" is refused). */
async function knownModel(db: Db, projectId: string, ref: unknown): Promise<unknown> {
  const model = await modelFromRef(db, projectId, ref);
  const id = (model as { id?: unknown } | null)?.id;
  if (typeof id === "string") checkModelId(id);
  return model;
}

const MAX_PROBLEMS = 5;

/** Every example must give every template variable a non-empty value. */
function checkExamples(
  examples: { id: string; rowNumber: number; input: Record<string, string> }[],
  variables: string[],
  label: string,
): void {
  if (examples.length === 0) throw fieldError("datasetVersionId", `${label} has no examples`);
  const problems: string[] = [];
  for (const example of examples) {
    for (const variable of variables) {
      const value = example.input[variable];
      if (typeof value !== "string" || value.trim() === "") {
        problems.push(
          `row ${example.rowNumber} (id "${example.id}"): template variable "${variable}" is missing or empty`,
        );
      }
    }
    if (problems.length > MAX_PROBLEMS) break;
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push("… more problems not shown");
    throw fieldError(
      "datasetVersionId",
      `${label} does not fit the prompt template:\n  ${shown.join("\n  ")}`,
    );
  }
}

/** The queued run (the API answers 202 { id, status, runner }). */
export type CreatedRun = Omit<CreatedRunView, "status">;

/** A run spec with every reference resolved and every setting checked (nothing stored yet). */
export interface ResolvedRunSpec {
  task: { id: string; name: string };
  versionId: string;
  datasetVersionId: string;
  prompt: PromptState;
  config: StoredRunConfig;
  /** The run's settings and strategy (its gateway is closed: nothing is called through it). */
  context: RunContext;
  examples: Awaited<ReturnType<typeof listExamples>>;
}

/**
 * Checks a run spec completely — task, prompt version, dataset version and its examples against the
 * template, models, metrics, strategy, settings — without credentials (what starting a run and the cost
 * estimate share). Bad input throws `InputError` naming every bad field.
 */
export async function resolveRunSpec(
  db: Db,
  projectId: string,
  spec: RunSpecInput,
): Promise<ResolvedRunSpec> {
  const parsed = runSpecSchema.safeParse(spec);
  if (!parsed.success) throw specError(parsed.error.issues);
  const s = parsed.data;
  const refs = new ReferenceProblems();
  const foundTask = await refs.take("task", () => findProjectTask(db, projectId, s.task));
  const foundVersion =
    foundTask &&
    (await refs.take("promptVersion", async () => {
      const version =
        s.promptVersion !== undefined
          ? await getPromptVersion(db, foundTask.id, s.promptVersion)
          : await getLatestPromptVersion(db, foundTask.id);
      if (version) return version;
      throw fieldError(
        "promptVersion",
        s.promptVersion !== undefined
          ? `task "${foundTask.name}" has no prompt version ${s.promptVersion}`
          : `task "${foundTask.name}" has no prompt version yet`,
      );
    }));
  const foundDataset = await refs.take("datasetVersionId", async () => {
    const dataset = await getProjectDatasetVersion(db, projectId, s.datasetVersionId);
    if (dataset) return dataset;
    throw fieldError("datasetVersionId", `no dataset version "${s.datasetVersionId}" in this project`);
  });
  const taskModel = await refs.take("models.task", () => knownModel(db, projectId, s.models.task));
  const optimizerModel = await refs.take("models.optimizer", () =>
    knownModel(db, projectId, s.models.optimizer),
  );
  const metrics: unknown[] = [];
  for (const [i, ref] of s.metrics.entries())
    metrics.push(await refs.take(`metrics.${i}`, () => resolveMetric(db, projectId, ref, `metrics.${i}`)));
  const { task, version, dataset } = refs.done({
    task: foundTask,
    version: foundVersion,
    dataset: foundDataset,
  });
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    params: version.params,
  };
  const candidate = {
    name: task.name,
    description: task.description,
    prompt: {
      system: prompt.systemPrompt,
      output: prompt.outputPrompt,
      demos: prompt.demos,
      params: prompt.params,
    },
    dataset: { path: `dataset:${dataset.datasetName}@v${dataset.version}`, expected: dataset.expectedColumn },
    models: { task: taskModel, optimizer: optimizerModel },
    metrics,
    optimizer: s.optimizer,
    // The dataset version's split (fractions and seed, as its page previews it) unless the spec says.
    splits: { ...dataset.splits, ...spec.splits },
    acceptance: s.acceptance,
    stop: s.stop,
    budget: s.budget,
    cache: s.cache,
    errorBudget: s.errorBudget,
    seed: s.seed,
    origin: "api" as const,
    spec: s,
  };
  const checked = storedRunConfigSchema.safeParse(candidate);
  if (!checked.success) throw specError(checked.error.issues);
  const config = checked.data;
  // Providers, metrics and their options, the strategy, demos: the same checks a task file gets.
  const context = buildRunContext("run spec", config, prompt);
  await context.llm.close();
  const label = `dataset "${dataset.datasetName}" version ${dataset.version}`;
  const examples = await listExamples(db, dataset.id);
  checkExamples(examples, promptVariables(prompt), label);
  return {
    task: { id: task.id, name: task.name },
    versionId: version.id,
    datasetVersionId: dataset.id,
    prompt,
    config,
    context,
    examples,
  };
}

/**
 * Checks a run spec completely (`resolveRunSpec`, then the models' credentials), stores a queued run
 * holding the resolved config, and hands it to the active runner. Bad input throws `InputError` naming
 * the field before anything is written. When Inngest cannot be reached, the run is marked failed and an
 * `AppError` (503, "runner_unavailable") is thrown.
 */
export async function createOptimizationRun(
  db: Db,
  projectId: string,
  spec: RunSpecInput,
  options: RunServiceOptions = {},
): Promise<CreatedRun> {
  const env = options.env ?? process.env;
  const { task, versionId, datasetVersionId, config, context, examples } = await resolveRunSpec(
    db,
    projectId,
    spec,
  );
  // The project's credentials (and the server's standard provider variables): a missing one is a 400 now.
  const models = runModels(config);
  checkModelsBuild(
    models,
    await resolveProviderCredentials(db, projectId, models, { author: "project", env }),
  );
  // On Inngest, a run that cannot fit one function run (steps, step and state sizes) is refused now.
  refuseUnfitJob(runLimitProblem("optimize", context, examples.length), options.runner ?? activeRunner(env));

  const run = await createRun(
    db,
    {
      projectId,
      taskId: task.id,
      kind: "optimize",
      baselineVersionId: versionId,
      datasetVersionId,
      config,
      seed: config.seed,
    },
    options.audit,
  );
  const target = { id: run.id, projectId, provider: parseModelId(config.models.task.id).provider };
  const runner = await handOverJob(optimizationRunJob, db, target, { ...options, env });
  return { id: run.id, runner };
}

export const auditOf = (access: ProjectAccess, actor: AuditActor): RunAudit => ({
  actor,
  organizationId: access.project.organization.id,
});

/** POST …/runs: `createOptimizationRun` in the caller's project (409 when archived), audited as "run.created". */
export async function startProjectRun(
  db: Db,
  access: ProjectAccess,
  spec: RunSpecInput,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<CreatedRun> {
  await requireActiveProject(db, access);
  return createOptimizationRun(db, access.project.id, spec, { ...options, audit: auditOf(access, actor) });
}
