import { defineRoute } from "@/lib/http/define-route";
import { listPromptTasks } from "@/lib/services/prompts";
import { projectParamsSchema } from "@/lib/validation/projects";
import { promptTaskListSchema } from "@/lib/validation/prompts";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts",
  summary: "List the project's tasks, each with its latest prompt version",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: promptTaskListSchema,
  handler: async ({ db, access }) => ({ items: await listPromptTasks(db, access) }),
});
