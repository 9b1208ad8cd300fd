import { defineRoute } from "@/lib/http/define-route";
import { startStrategyComparison } from "@/lib/services/runs/strategy-comparison-runs";
import { projectParamsSchema } from "@/lib/validation/projects";
import { startedComparisonSchema, strategyComparisonBodySchema } from "@/lib/validation/strategy-comparison";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs/strategies",
  summary: "Compare search strategies: one run per strategy on the same spec and budget",
  description:
    "Queues one run per strategy (2–6) with the same task, prompt version, dataset version, models, " +
    "metrics, splits, stop rules and budget; each strategy with its default options. The spec is " +
    "checked as `POST …/runs` checks it, and the strategy names against the registry, before anything " +
    "is queued (400 naming the field). Answers the runs and the page that compares them.",
  tags: ["runs"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  body: strategyComparisonBodySchema,
  response: startedComparisonSchema,
  status: 202,
  handler: ({ db, access, body, actor }) => startStrategyComparison(db, access, body, actor),
});
