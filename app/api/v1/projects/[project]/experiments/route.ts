import { defineRoute } from "@/lib/http/define-route";
import { createProjectExperiment, listProjectExperiments } from "@/lib/services/experiments";
import {
  createExperimentBodySchema,
  experimentListQuerySchema,
  experimentListSchema,
  experimentSchema,
} from "@/lib/validation/experiments";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/experiments",
  summary: "The project's experiments, newest first",
  description:
    "Each experiment with its prompt, label, status and variants. Narrow and page the list with the " +
    "query parameters; create one with POST on this path.",
  tags: ["experiments"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  query: experimentListQuerySchema,
  response: experimentListSchema,
  handler: ({ db, access, query }) => listProjectExperiments(db, access, query),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/experiments",
  summary: "Create an experiment (a draft) between versions of one prompt on one label's traffic",
  description:
    "The first variant is control. The planned sample size per variant comes from the minimum " +
    "detectable effect (80% power, sequential decision rule). Unknown prompt: 404; a version the " +
    "prompt does not have: 400 naming `variants.<i>.version`.",
  tags: ["experiments"],
  auth: { role: "editor" },
  auditRefusals: true,
  status: 201,
  params: projectParamsSchema,
  body: createExperimentBodySchema,
  response: experimentSchema,
  handler: ({ db, access, body, actor }) => createProjectExperiment(db, access, body, actor),
});
