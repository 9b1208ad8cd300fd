// The response cache never answers one project with another's call (security issue, finding 11): the same
// batch in a second project goes to the provider, while a repeat in the first project is a cache hit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ensureProject, findOrCreatePromptVersion, getProjectBySlug, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { executeBatch, rowStateSteps } from "./batch-execution";
import { createBatch } from "./batches";
import { storeFakeServerCredential } from "./testing/credentials";

const ROWS = "text\nthe same row\nanother row\n";

describe.each(TEST_PROVIDERS)("the response cache is scoped to the project (%s)", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let server: FakeServer;
  const access: Record<string, ProjectAccess> = {};

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    for (const slug of ["north", "south"]) {
      await ensureProject(fixture.db, slug);
      const project = (await getProjectBySlug(fixture.db, slug))!;
      await storeFakeServerCredential(fixture.db, project.id, server.baseURL);
      const task = await upsertTask(fixture.db, project.id, { name: "echo", description: "" });
      await findOrCreatePromptVersion(
        fixture.db,
        task.id,
        { systemPrompt: "", outputPrompt: "Say: {{text}}", demos: [], params: { temperature: 0 } },
        { source: "manual" },
      );
      access[slug] = {
        principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
        project,
        role: "editor",
      };
    }
  });

  afterAll(async () => {
    await server.close();
  });

  /** The same batch (prompt, model, rows, cache on) in project `slug`, executed here. */
  async function runBatch(slug: string) {
    const bytes = new TextEncoder().encode(ROWS);
    const { id } = await createBatch(
      fixture.db,
      access[slug]!,
      { task: "echo", model: { id: "openai-compatible:echo", concurrency: 1 } },
      { body: new Response(bytes).body, contentType: "text/csv", contentLength: null, filename: "rows.csv" },
      undefined,
      { dispatch: async () => {}, env: {} },
    );
    const before = server.requests.length;
    const outcome = await executeBatch(fixture.db, id, rowStateSteps());
    expect(outcome.status).toBe("succeeded");
    const batch = await fixture.db.batchJob.findUniqueOrThrow({ where: { id } });
    return { cacheHits: batch.cacheHits, providerCalls: server.requests.length - before };
  }

  it("hits within a project, never across", async () => {
    expect(await runBatch("north")).toEqual({ cacheHits: 0, providerCalls: 2 });
    expect(await runBatch("north")).toEqual({ cacheHits: 2, providerCalls: 0 });
    expect(await runBatch("south")).toEqual({ cacheHits: 0, providerCalls: 2 });
  });
});
