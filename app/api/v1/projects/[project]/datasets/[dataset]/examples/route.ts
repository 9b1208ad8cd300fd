import { defineRoute } from "@/lib/http/define-route";
import { editDatasetExamples } from "@/lib/services/datasets";
import { datasetParamsSchema, editExamplesBodySchema, editResultSchema } from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

export const PATCH = defineRoute({
  method: "PATCH",
  path: "/api/v1/projects/{project}/datasets/{dataset}/examples",
  summary: "Edit rows (change, append, delete) and/or the splits: creates the next version",
  description:
    "Starts from `baseVersion`, which must be the latest (else 409). The new version holds the base " +
    "version's rows in order with the changes applied, new rows appended, deleted rows left out; the " +
    "base version stays as it was.",
  tags: ["datasets"],
  auth: { role: "editor" },
  params: datasetParamsSchema,
  body: editExamplesBodySchema,
  maxBodyBytes: 16 * 1024 * 1024,
  response: editResultSchema,
  status: 201,
  handler: ({ db, access, params, body, actor }) =>
    editDatasetExamples(db, access, params.dataset, body, actor),
});
