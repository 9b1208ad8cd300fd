// Test support for the batch service tests: the loopback fake OpenAI server (models "echo", "slow",
// "down" and "wobbly") and, per database, a project with its credential, the task "review" and a
// 25-row dataset version, with helpers to create batches and wait for them.
import { afterAll, beforeAll, expect } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { AppError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  getProjectBySlug,
  openDb,
  upsertTask,
} from "@/lib/db";
import type { DbProvider } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { embeddedRunner } from "@/lib/runner";
import type { BatchSpecInput } from "@/lib/validation/batches";
import { type BatchUpload, createBatch } from "../batches";
import { storeFakeServerCredential } from "./credentials";

/** The fake server for this test file (started before its tests, closed after). */
export function registerFakeBatchServer() {
  const state = { server: undefined as unknown as FakeServer };
  /** Model "wobbly" answers 500 to the first attempt of every row whose text has an even length. */
  const wobbled = new Set<string>();
  beforeAll(async () => {
    state.server = await startFakeOpenAIServer({
      latencyMs: (call) => (call.model === "slow" ? 30 : 0),
      respond: (call) => {
        if (call.model === "down") return { status: 400, body: { error: { message: "model is down" } } };
        const text = call.messages.at(-1)?.content ?? "";
        if (call.model === "wobbly" && text.length % 2 === 0 && !wobbled.has(text)) {
          wobbled.add(text);
          return { status: 500, body: { error: { message: "try again" } } };
        }
        return { content: `len:${text.length}` };
      },
    });
  });
  afterAll(async () => {
    await embeddedRunner().idle();
    await state.server.close();
  });
  return {
    get server() {
      return state.server;
    },
    wobbled,
    chatRequests: () => state.server.requests.filter((r) => r.path === "/v1/chat/completions"),
  };
}

/** The user message of a recorded chat request (what tells rows apart). */
export const userText = (request: { body: unknown }) =>
  ((request.body as { messages: { role: string; content: string }[] }).messages.at(-1)?.content ?? "").trim();

export const actor: AuditActor = { type: "user", id: "u1", label: "ada@example.com" };
/** A model of the fake server: each project's default OpenAI-compatible credential points there. */
export const model = (name = "echo", extra: Record<string, unknown> = {}) => ({
  id: `openai-compatible:${name}`,
  concurrency: 4,
  ...extra,
});
export const NO_CACHE = { enabled: false, ttlSeconds: 60 };

export function upload(text: string, filename = "rows.csv", contentType: string | null = null): BatchUpload {
  const bytes = new TextEncoder().encode(text);
  return {
    body: new ReadableStream({
      start(controller) {
        // In two pieces, so the parser sees a row split across chunks.
        const half = Math.floor(bytes.length / 2);
        controller.enqueue(bytes.slice(0, half));
        controller.enqueue(bytes.slice(half));
        controller.close();
      },
    }),
    contentType,
    contentLength: String(bytes.length),
    filename,
  };
}

export const csv = (n: number, from = 1) =>
  `id,text,lang\n${Array.from({ length: n }, (_, i) => `${from + i},"review number ${from + i}, quoted",en`).join("\n")}\n`;

export async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function settled(id: string) {
  await embeddedRunner().running(id);
  await embeddedRunner().idle();
}

export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/**
 * A database of `provider` with the projects "batches" (the task "review", a 25-row dataset version
 * whose row 12 has an empty "lang") and "elsewhere", each with a credential for the fake server.
 */
export function registerBatchWorld(provider: DbProvider, fake: { server: FakeServer }) {
  const world = {
    database: undefined as unknown as TestDatabase,
    db: undefined as unknown as Db,
    access: undefined as unknown as ProjectAccess,
    other: undefined as unknown as ProjectAccess,
    datasetVersionId: "",
    spec: (extra: Partial<BatchSpecInput> = {}): BatchSpecInput => ({
      task: "review",
      model: model(),
      chunkSize: 7,
      cache: NO_CACHE,
      ...extra,
    }),
    counts: async () => ({
      batches: await world.db.batchJob.count(),
      rows: await world.db.batchRow.count(),
      issues: await world.db.batchIssue.count(),
      audit: await world.db.auditLog.count({ where: { action: { startsWith: "batch." } } }),
    }),
    create: (s: BatchSpecInput, file?: BatchUpload) =>
      createBatch(world.db, world.access, s, file, actor, { runner: "embedded", env: {} }),
  };

  beforeAll(async () => {
    world.database = await createTestDatabase(provider);
    const db = await openDb(world.database.url);
    world.db = db;
    const projectOf = async (slug: string): Promise<ProjectAccess> => {
      await ensureProject(db, slug);
      const project = await getProjectBySlug(db, slug);
      return {
        principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
        project: project!,
        role: "editor",
      };
    };
    world.access = await projectOf("batches");
    world.other = await projectOf("elsewhere");
    for (const project of [world.access, world.other])
      await storeFakeServerCredential(db, project.project.id, fake.server.baseURL);
    const task = await upsertTask(db, world.access.project.id, { name: "review", description: "" });
    await findOrCreatePromptVersion(
      db,
      task.id,
      {
        systemPrompt: "Summarize.",
        outputPrompt: "Review: {{text}} ({{lang}})",
        demos: [],
        params: { temperature: 0 },
      },
      { source: "manual" },
    );
    const { datasetVersion } = await findOrCreateDatasetVersion(db, world.access.project.id, {
      name: "reviews.csv",
      sourceName: "reviews.csv",
      expectedColumn: "label",
      columns: ["text", "lang", "label"],
      contentHash: "reviews-25",
      examples: Array.from({ length: 25 }, (_, i) => ({
        key: `r${i + 1}`,
        rowNumber: i + 1,
        input: { text: `dataset review ${i + 1}`, lang: i === 11 ? "" : "en" },
        expected: "x",
      })),
    });
    world.datasetVersionId = datasetVersion.id;
  });

  afterAll(async () => {
    await embeddedRunner().idle();
    await world.db.$disconnect();
    await world.database.drop();
  });
  return world;
}
