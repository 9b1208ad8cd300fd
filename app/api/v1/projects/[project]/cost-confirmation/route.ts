import { defineRoute } from "@/lib/http/define-route";
import { getCostConfirmation, setCostConfirmation } from "@/lib/services/settings";
import { costConfirmationBodySchema, costConfirmationSchema } from "@/lib/validation/ml-settings";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/cost-confirmation",
  summary: "The amount above which a run on a paid model asks for confirmation",
  description:
    "Any member can read it. A run whose estimated cost is above this amount starts only once the " +
    "person starting it confirms the cost.",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: costConfirmationSchema,
  handler: ({ db, access }) => getCostConfirmation(db, access),
});

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/cost-confirmation",
  summary: "Set the amount above which a run on a paid model asks for confirmation",
  description: "Audited as project.cost_confirmation_set; the audit log keeps every earlier value.",
  tags: ["ml-settings"],
  auth: { role: "admin" },
  params: projectParamsSchema,
  body: costConfirmationBodySchema,
  response: costConfirmationSchema,
  handler: ({ db, access, body, actor }) => setCostConfirmation(db, access, body, actor),
});
