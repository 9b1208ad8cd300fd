// Queued jobs of both kinds for the runner tests (crash, cancel, two runners): stored the way the API
// stores them, not dispatched, so that the worker processes pick them up as the app does at start.
import type { ProjectAccess } from "@/lib/auth/principal";
import { type Db, ensureProject, findOrCreatePromptVersion, getProjectBySlug, upsertTask } from "@/lib/db";
import { createBatch } from "@/lib/services/batches";
import { createOptimizationRun } from "@/lib/services/runs";
import { intentRunSpec, seedIntentTask } from "@/lib/services/testing/run-fixtures";
import type { RunSpecInput } from "@/lib/validation/runs";

/** The batch fixtures' model: the fake server answers it with `out:<the user message>`. */
export const ECHO_MODEL = "echo";

/** A fake-server responder for the echo model (other models get the server's simulated answers). */
export const echoResponder = (call: { model: string; messages: { content: string }[] }) =>
  call.model === ECHO_MODEL ? { content: `out:${call.messages.at(-1)?.content ?? ""}` } : undefined;

/**
 * A queued batch of `rows` rows over task "echo" (prompt `Item: {{text}}`; row n is "row n") in the
 * default project, read in chunks of `chunkSize`.
 */
export async function queueEchoBatch(
  db: Db,
  options: { rows: number; chunkSize: number },
): Promise<{ id: string; access: ProjectAccess }> {
  await ensureProject(db);
  const project = (await getProjectBySlug(db, "default"))!;
  const task = await upsertTask(db, project.id, { name: "echo", description: "" });
  await findOrCreatePromptVersion(
    db,
    task.id,
    { systemPrompt: "", outputPrompt: "Item: {{text}}", demos: [], params: {} },
    { source: "manual" },
  );
  const access: ProjectAccess = {
    principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
    project,
    role: "editor",
  };
  const text = `text\n${Array.from({ length: options.rows }, (_, i) => `row ${i + 1}`).join("\n")}\n`;
  const bytes = new TextEncoder().encode(text);
  const { id } = await createBatch(
    db,
    access,
    {
      task: "echo",
      // The workers reach the fake server through the operator's OPENAI_COMPATIBLE_BASE_URL.
      model: { id: `openai-compatible:${ECHO_MODEL}`, concurrency: 4 },
      chunkSize: options.chunkSize,
      cache: { enabled: false, ttlSeconds: 60 },
    },
    {
      body: new Response(bytes).body,
      contentType: "text/csv",
      contentLength: String(bytes.length),
      filename: "rows.csv",
    },
    undefined,
    { dispatch: async () => {}, env: {} },
  );
  return { id, access };
}

/** A queued optimization run over the first `rows` intent examples, `model` for both roles. */
export async function queueIntentRun(
  db: Db,
  options: { rows: number; model: string; overrides?: Partial<RunSpecInput> },
): Promise<string> {
  const seeded = await seedIntentTask(db, { rows: options.rows });
  const spec = intentRunSpec(seeded, options.model, options.overrides);
  const { id } = await createOptimizationRun(db, seeded.projectId, spec, { dispatch: async () => {} });
  return id;
}

/** The texts of the echo model's requests (the rows' prompts), from request `from` on. */
export function echoRequestTexts(requests: { path: string; body: unknown }[], from = 0): string[] {
  return requests
    .slice(from)
    .filter((r) => r.path === "/v1/chat/completions")
    .filter((r) => (r.body as { model: string }).model === ECHO_MODEL)
    .map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? "");
}
