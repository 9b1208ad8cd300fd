// What a batch over a dataset version may spend (POST …/batches/estimate, the batch form as it
// changes): one call of the task model per row, tokens from the prompt's and the rows' text lengths,
// priced as a run's calls are (./estimate.ts). The spec is checked as starting the batch checks it.
import type { ProjectAccess } from "@/lib/auth/principal";
import { estimateEvaluation } from "@/lib/core/estimate";
import { type Db, getProjectDatasetVersion, listExamples } from "@/lib/db";
import type { BatchSpecInput } from "@/lib/validation/batches";
import { fieldError } from "@/lib/validation/parse";
import type { RunEstimateView } from "@/lib/validation/runs";
import { parseSpec, resolveSpec } from "../batches/spec";
import { getCostConfirmation } from "../settings";
import { priceOf, textSizes, withConfirmation } from "./estimate";

export async function estimateProjectBatch(
  db: Db,
  access: ProjectAccess,
  body: BatchSpecInput,
  env: Record<string, string | undefined> = process.env,
): Promise<RunEstimateView> {
  const spec = parseSpec(body, "body", "project");
  if (!spec.datasetVersionId)
    throw fieldError(
      "body",
      "datasetVersionId",
      "choose a dataset version: an uploaded file's rows are counted when it is uploaded",
    );
  const { version, model } = await resolveSpec(db, access.project.id, spec, "body", env, "project");
  const dataset = await getProjectDatasetVersion(db, access.project.id, spec.datasetVersionId);
  if (!dataset)
    throw fieldError(
      "body",
      "datasetVersionId",
      `no dataset version "${spec.datasetVersionId}" in this project`,
    );
  const rows = await listExamples(db, dataset.id);
  const estimate = estimateEvaluation({
    kind: "batch",
    examples: rows.length,
    text: textSizes(version.prompt, rows),
    scoringCallsPerExample: 0,
    prices: { task: priceOf(model) },
  });
  return withConfirmation(estimate, (await getCostConfirmation(db, access)).confirmAboveUsd);
}
