// Whether an optimization or evaluation run fits one Inngest function run (1,000 steps, 4 MB returned by
// one step, 32 MB of state), from the step plan of lib/core/step-plan.ts: checked when a run is created
// for the Inngest runner (a 400 naming the limit, nothing stored) and by the Inngest function before its
// first step (a run stored for the embedded runner and resumed on Inngest fails, naming the limit).
import { planEvaluationSteps, planOptimizationSteps, type StepPlan } from "@/lib/core/step-plan";
import type { PromptState } from "@/lib/core/types";
import { type Db, getProjectDatasetVersion, getPromptVersionById, getRun, type RunKind } from "@/lib/db";
import { parseStoredConfig } from "../run-execution";
import { buildRunContext, type RunContext } from "../runs/context";

/** A limit a job breaks: the message names it, `field` is the setting to change. */
export interface JobLimitProblem {
  message: string;
  field: string;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const count = (n: number) => n.toLocaleString("en-US");
const REMEDY = "use fewer iterations, candidates or examples, or the embedded runner";

function limitProblem(noun: string, exceeded: StepPlan["exceeds"][number]): JobLimitProblem {
  switch (exceeded.limit) {
    case "steps":
      return {
        field: "stop.maxIterations",
        message: `the ${noun} needs ${count(exceeded.planned)} steps: Inngest allows ${count(exceeded.max)} steps per function run; ${REMEDY}`,
      };
    case "stepBytes":
      return {
        field: "optimizer.candidates",
        message: `one step of the ${noun} may return ${mb(exceeded.planned)}: Inngest allows ${mb(exceeded.max)} per step; ${REMEDY}`,
      };
    case "totalBytes":
      return {
        field: "optimizer.candidates",
        message: `the ${noun}'s steps may return ${mb(exceeded.planned)} in all: Inngest allows ${mb(exceeded.max)} of state per function run; ${REMEDY}`,
      };
  }
}

/** Why a run of `kind` with `context`'s settings over `exampleCount` examples cannot run on Inngest. */
export function runLimitProblem(
  kind: RunKind,
  context: Pick<RunContext, "settings" | "optimizer">,
  exampleCount: number,
): JobLimitProblem | null {
  const { settings, optimizer } = context;
  const plan =
    kind === "eval"
      ? planEvaluationSteps(settings, exampleCount)
      : planOptimizationSteps(settings, exampleCount, {
          search: optimizer.plan?.(optimizer.options.parse(settings.optimizerOptions ?? {})),
        });
  const [first] = plan.exceeds;
  return first ? limitProblem(kind === "eval" ? "evaluation" : "run", first) : null;
}

/** `runLimitProblem` for stored run `id` (null when it fits, or when it is gone or broken: executing it says why). */
export async function storedRunLimitProblem(db: Db, id: string): Promise<string | null> {
  const run = await getRun(db, id);
  if (!run) return null;
  const version = await getPromptVersionById(db, run.baselineVersionId);
  const dataset = await getProjectDatasetVersion(db, run.projectId, run.datasetVersionId);
  if (!version || !dataset) return null;
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    params: version.params,
  };
  let context: RunContext;
  try {
    context = buildRunContext(`run ${id}`, parseStoredConfig(run), prompt);
  } catch {
    return null;
  }
  await context.llm.close();
  return runLimitProblem(run.kind, context, dataset.rowCount)?.message ?? null;
}
