import { defineRoute } from "@/lib/http/define-route";
import { estimateProjectRun } from "@/lib/services/runs/estimate";
import { projectParamsSchema } from "@/lib/validation/projects";
import { runEstimateSchema, runSpecSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs/estimate",
  summary: "Estimate what a run would spend, before starting it",
  description:
    "Takes the body POST …/runs takes and checks it the same way (a 400 names the field), without " +
    "starting anything: model calls, tokens and cost as an upper bound and as an expected value, from " +
    "the dataset's size and text lengths, the splits, the strategy, the stop rules, the budget and the " +
    "models' prices (docs/api-runs.md explains the method). `needsConfirmation` says whether the project " +
    "asks for confirmation before such a run (paid models above its threshold).",
  tags: ["runs"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  body: runSpecSchema,
  response: runEstimateSchema,
  handler: ({ db, access, body }) => estimateProjectRun(db, access, body),
});
