// One stored run per strategy on the same spec: the web's way to compare search strategies on the
// project's own task, data and models at the same budget (`strop compare` does it in memory). The spec is
// checked once with the first strategy and the strategy names against the registry before any run is
// queued, so a bad request queues nothing.
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import type { AuditActor, Db } from "@/lib/db";
import { isOptimizerName, optimizerNames } from "@/lib/optimizers/registry";
import { parseInput } from "@/lib/validation/parse";
import {
  type StartedComparison,
  type StrategyComparisonBody,
  strategyComparisonBodySchema,
} from "@/lib/validation/strategy-comparison";
import { type RunServiceOptions, resolveRunSpec, startProjectRun } from "./create";

export async function startStrategyComparison(
  db: Db,
  access: ProjectAccess,
  body: StrategyComparisonBody,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<StartedComparison> {
  const { spec, strategies } = parseInput("body", strategyComparisonBodySchema, body);
  const unknown = strategies
    .map((name, i) => ({ name, i }))
    .filter(({ name }) => !isOptimizerName(name))
    .map(({ name, i }) => ({
      field: `strategies.${i}`,
      message: `unknown strategy "${name}" (known: ${optimizerNames.join(", ")})`,
    }));
  if (unknown.length > 0)
    throw new InputError(unknown.map((u) => `${u.field}: ${u.message}`).join("; "), unknown);
  const specFor = (strategy: string) => ({
    ...spec,
    // Each strategy with its own defaults: another strategy's options would not fit it.
    optimizer: { ...spec.optimizer, strategy, options: undefined },
  });
  await resolveRunSpec(db, access.project.id, specFor(strategies[0] as string));
  const runs: StartedComparison["runs"] = [];
  for (const strategy of strategies) {
    const run = await startProjectRun(db, access, specFor(strategy), actor, options);
    runs.push({ id: run.id, strategy });
  }
  return {
    runs,
    compareUrl: `/projects/${access.project.slug}/runs/compare?ids=${runs.map((r) => r.id).join(",")}`,
  };
}
