import { defineRoute } from "@/lib/http/define-route";
import { getFeedbackAlertSettings, setFeedbackAlertSettings } from "@/lib/services/feedback-proposals";
import { feedbackAlertSchema, feedbackAlertSettingsSchema } from "@/lib/validation/feedback-alerts";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/feedback-alert",
  summary: "When negative feedback on a prompt version proposes optimizing it from feedback",
  description:
    "Any member can read them. `isDefault`: no one has set them and the built-in defaults apply " +
    "(a share of 0.3 negative over at least 30 judgments in 7 days; a value of 0 or below is negative).",
  tags: ["feedback"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: feedbackAlertSettingsSchema,
  handler: ({ db, access }) => getFeedbackAlertSettings(db, access),
});

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/feedback-alert",
  summary: "Set when negative feedback on a prompt version proposes optimizing it from feedback",
  description:
    "Every field is optional and falls back to its default. Audited as project.feedback_alert_set with " +
    "the settings before and after.",
  tags: ["feedback"],
  auth: { role: "admin" },
  auditRefusals: true,
  params: projectParamsSchema,
  body: feedbackAlertSchema,
  response: feedbackAlertSettingsSchema,
  handler: ({ db, access, body, actor }) => setFeedbackAlertSettings(db, access, body, actor),
});
