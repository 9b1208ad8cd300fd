import { defineRoute } from "@/lib/http/define-route";
import { estimateProjectBatch } from "@/lib/services/runs/estimate-batch";
import { batchSpecSchema } from "@/lib/validation/batches";
import { projectParamsSchema } from "@/lib/validation/projects";
import { runEstimateSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/batches/estimate",
  summary: "Estimate what a batch over a dataset version would spend, before starting it",
  description:
    "Takes the JSON body POST …/batches takes (with a `datasetVersionId`) and checks it the same way, " +
    "without starting anything: one task-model call per row, tokens from the prompt's and the rows' text " +
    "lengths (4 characters a token), priced with the model's price.",
  tags: ["batches"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  body: batchSpecSchema,
  response: runEstimateSchema,
  handler: ({ db, access, body }) => estimateProjectBatch(db, access, body),
});
