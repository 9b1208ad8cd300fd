// The serving API's generate on both databases, over real HTTP to the loopback fake OpenAI server: the
// version's model configuration is called with the project's stored credential (bound to the fake's
// address), through the response cache; every call — answered or failed — is stored as a Generation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import * as credential from "./projects/[project]/credentials/[credential]/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";
import * as generate from "./projects/[project]/prompts/[task]/generate/route";
import { pointLabel, seedTask, seedVersion } from "./testing/serving-fixtures";

const KEY = "fake-SECRET-key-0123456789";

describe.each(TEST_PROVIDERS)("serving API (generate) on %s", (provider) => {
  let w: ApiWorld;
  let fake: FakeServer;
  let taskId: string;
  let versionId: string;
  const params = { project: "alpha", task: "support" };
  const editorKey = () => ({ bearer: w.keys.alphaEditor });
  const call = (body: unknown, as: Credential = editorKey()) => w.call(generate.POST, { params, as, body });

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({
      respond: (c) => {
        const last = c.messages.at(-1)?.content ?? "";
        if (last.includes("FAIL")) return { status: 400, body: { error: { message: "unsupported input" } } };
        return { content: `echo: ${last}`, usage: { promptTokens: 12, completionTokens: 3 } };
      },
    });
    w = await createApiWorld(provider);
    const stored = await w.call(credential.PUT, {
      as: w.users.admin.credential,
      params: { project: "alpha", credential: "fake" },
      body: { provider: "openai-compatible", baseURL: fake.baseURL, apiKey: KEY },
    });
    expect(stored.status, stored.text).toBe(200);
    const config = await w.call(modelConfigs.POST, {
      as: w.users.editor.credential,
      params: { project: "alpha" },
      body: {
        name: "support-model",
        model: "openai-compatible:echo",
        credential: "fake",
        concurrency: 2,
        price: { input: 1_000_000, output: 2_000_000 },
      },
    });
    expect(config.status, config.text).toBe(201);
    taskId = await seedTask(w.db, w.projects.alpha.id, "support");
    versionId = await seedVersion(w.db, taskId, {
      system: "Answer briefly.",
      output: "Ticket: {{ticket}}",
      params: { temperature: 0 },
      model: "support-model",
    });
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", versionId);
    const simOnly = await seedVersion(w.db, taskId, { output: "Label this: {{ticket}}" });
    await pointLabel(w.db, w.projects.alpha.id, taskId, "sim", simOnly);
    const broken = await seedVersion(w.db, taskId, { output: "{{ticket}}", model: "no-such-config" });
    await pointLabel(w.db, w.projects.alpha.id, taskId, "broken", broken);
  });
  afterAll(async () => {
    await w?.close();
    await fake?.close();
  });

  it("calls the version's model with the stored credential and stores the generation", async () => {
    const before = fake.requests.length;
    const res = await call({ variables: { ticket: "My order is late" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      output: "echo: Ticket: My order is late",
      usage: { inputTokens: 12, outputTokens: 3 },
      cached: false,
      model: "openai-compatible:echo",
      id: versionId,
      version: 1,
      label: "production",
    });
    // The configuration's price: 12 × $1 + 3 × $2.
    expect(res.json.costUsd).toBeCloseTo(18, 6);
    expect(res.json.latencyMs).toBeGreaterThan(0);
    expect(fake.requests.length - before).toBe(1);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe("[redacted]"); // a credential was sent (the fake hides it)
    expect(sent.body).toMatchObject({ model: "echo", temperature: 0 });
    const row = await w.db.generation.findUniqueOrThrow({ where: { id: res.json.generationId } });
    const editorKey = await w.db.apiKey.findFirstOrThrow({
      where: { name: "editor key", projectId: w.projects.alpha.id },
    });
    expect(row).toMatchObject({
      projectId: w.projects.alpha.id,
      taskId,
      versionId,
      label: "production",
      model: "openai-compatible:echo",
      variables: { ticket: "My order is late" },
      output: "echo: Ticket: My order is late",
      error: null,
      inputTokens: 12,
      outputTokens: 3,
      cached: false,
      apiKeyId: editorKey.id,
      userId: null,
    });
  });

  it("answers a repeat from the project's response cache unless asked to bypass it", async () => {
    const body = { variables: { ticket: "Refund please" } };
    const first = await call(body);
    const before = fake.requests.length;
    const again = await call(body);
    expect(again.json).toMatchObject({ cached: true, output: first.json.output });
    expect(again.json.generationId).not.toBe(first.json.generationId);
    expect(fake.requests.length).toBe(before);
    const fresh = await call({ ...body, cache: "bypass" });
    expect(fresh.json.cached).toBe(false);
    expect(fake.requests.length).toBe(before + 1);
  });

  it("a version without a model generates with sim:default; a session's generation names the user", async () => {
    const res = await call(
      { label: "sim", variables: { ticket: "Where is my parcel?" } },
      w.users.editor.credential,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.model).toBe("sim:default");
    expect(res.json.output.length).toBeGreaterThan(0);
    const row = await w.db.generation.findUniqueOrThrow({ where: { id: res.json.generationId } });
    expect(row).toMatchObject({ userId: w.users.editor.id, apiKeyId: null, label: "sim" });
  });

  it("a provider failure is a 502 naming the provider's message; the generation is stored with it", async () => {
    const res = await call({ variables: { ticket: "FAIL now" } });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("provider_error");
    expect(res.json.error.message).toContain("unsupported input");
    expect(res.json.error.details.providerStatus).toBe(400);
    expect(res.text).not.toContain(KEY);
    const row = await w.db.generation.findUniqueOrThrow({
      where: { id: res.json.error.details.generationId },
    });
    expect(row.output).toBeNull();
    expect(row.error).toContain("unsupported input");
  });

  it("refuses viewers, bad variables and a model the project cannot call, storing nothing", async () => {
    const count = await w.db.generation.count();
    const requests = fake.requests.length;
    const viewer = await call({ variables: { ticket: "x" } }, { bearer: w.keys.alphaViewer });
    expect(viewer.status).toBe(403);
    const missing = await call({ variables: {} });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.issues).toEqual([
      { in: "body", path: "variables.ticket", message: "is required" },
    ]);
    const broken = await call({ label: "broken", variables: { ticket: "x" } });
    expect(broken.status).toBe(409);
    expect(broken.json.error.code).toBe("model_unusable");
    expect(broken.json.error.message).toContain('"no-such-config"');
    const unknown = await call({ label: "canary", variables: { ticket: "x" } });
    expect(unknown.status).toBe(404);
    expect(await w.db.generation.count()).toBe(count);
    expect(fake.requests.length).toBe(requests);
  });
});
