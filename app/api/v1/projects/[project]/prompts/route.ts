import { defineRoute } from "@/lib/http/define-route";
import { createPromptTask, listPromptTasks } from "@/lib/services/prompts";
import { projectParamsSchema } from "@/lib/validation/projects";
import { createdTaskSchema, createTaskBodySchema } from "@/lib/validation/prompt-authoring";
import { promptTaskListSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts",
  summary: "List the project's tasks, each with its latest prompt version",
  description:
    "A task is a prompt with its history of versions: each entry has the task and its newest " +
    "version. Create a task with POST on this path.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: promptTaskListSchema,
  handler: async ({ db, access }) => ({ items: await listPromptTasks(db, access) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts",
  summary: "Create a task, optionally with its first prompt version",
  description:
    "409 when the project has a task of that name. The version is checked as POST …/versions checks one.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: projectParamsSchema,
  body: createTaskBodySchema,
  response: createdTaskSchema,
  status: 201,
  handler: ({ db, access, body, actor }) => createPromptTask(db, access, body, actor),
});
