// Regression tests of the security issue's findings 1 and 2, over the routes on both databases: a model
// configuration (or an inline model of a run or batch spec) written by an editor cannot choose an
// environment variable as its key or an endpoint for a stored key. A loopback listener stands for the
// attacker's server: it must see no connection at all, while the calls of the allowed configurations
// reach the endpoints their credentials are bound to.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOrCreateDatasetVersion, findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { embeddedRunner } from "@/lib/runner/index";
import { executeBatch, rowStateSteps } from "@/lib/services/batch-execution";
import { createBatch } from "@/lib/services/batches";
import * as batches from "./projects/[project]/batches/route";
import * as credential from "./projects/[project]/credentials/[credential]/route";
import * as credentialTest from "./projects/[project]/credentials/[credential]/test/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";
import * as runs from "./projects/[project]/runs/route";

const STORED_KEY = "sk-stored-SECRET-0123456789abcdef";
const SECOND_KEY = "second-SECRET-key-fedcba987654";

/** The attacker's server: counts connections and keeps what it was sent. */
async function startListener() {
  const seen: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      seen.push(JSON.stringify(req.headers) + body);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(TEST_PROVIDERS)("no secret leaves through a model configuration (%s)", (provider) => {
  let w: ApiWorld;
  let listener: Awaited<ReturnType<typeof startListener>>;
  let fake: FakeServer;
  let second: FakeServer;
  let datasetVersionId: string;
  const alpha = { project: "alpha" };
  const editor = () => w.users.editor.credential;
  const admin = () => w.users.admin.credential;
  const paths = (json: { error?: { details?: { issues?: { path: string }[] } } }) =>
    (json.error?.details?.issues ?? []).map((i) => i.path);
  const csv = "text\nfirst\nsecond\nthird\n";
  const uploadBatch = (model: string) =>
    w.call(batches.POST, {
      as: editor(),
      params: alpha,
      query: { task: "echo", model, cache: "false" },
      rawBody: csv,
      contentType: "text/csv",
    });

  beforeAll(async () => {
    listener = await startListener();
    fake = await startFakeOpenAIServer();
    second = await startFakeOpenAIServer();
    w = await createApiWorld(provider);
    // The server holds secrets a configuration must never reach (the world sets NEXTAUTH_SECRET).
    expect(process.env.NEXTAUTH_SECRET).toBeTruthy();
    const task = await upsertTask(w.db, w.projects.alpha.id, { name: "echo", description: "" });
    await findOrCreatePromptVersion(
      w.db,
      task.id,
      { systemPrompt: "", outputPrompt: "Say: {{text}}", demos: [], params: {} },
      { source: "manual" },
    );
    const { datasetVersion } = await findOrCreateDatasetVersion(w.db, w.projects.alpha.id, {
      name: "rows",
      sourceName: "rows.csv",
      expectedColumn: "expected",
      columns: ["text", "expected"],
      contentHash: "rows",
      examples: ["a", "b", "c"].map((text, i) => ({
        key: text,
        rowNumber: i + 1,
        input: { text },
        expected: text,
      })),
    });
    datasetVersionId = datasetVersion.id;
  });

  afterAll(async () => {
    await embeddedRunner().idle();
    await w?.close();
    await Promise.all([listener?.close(), fake?.close(), second?.close()]);
  });

  it("finding 1: an editor cannot make a configuration read a server variable or choose an endpoint", async () => {
    const steal = {
      name: "steal",
      model: "openai-compatible:x",
      baseURL: listener.url,
      apiKeyEnv: "NEXTAUTH_SECRET",
    };
    const config = await w.call(modelConfigs.POST, { as: editor(), params: alpha, body: steal });
    expect(config.status).toBe(400);
    expect(paths(config.json)).toEqual(expect.arrayContaining(["baseURL", "apiKeyEnv"]));
    expect(await w.db.modelConfig.count()).toBe(0);

    const inline = { id: "openai-compatible:x", baseURL: listener.url, apiKeyEnv: "NEXTAUTH_SECRET" };
    const batch = await w.call(batches.POST, {
      as: editor(),
      params: alpha,
      body: { task: "echo", datasetVersionId, model: inline },
    });
    expect(batch.status).toBe(400);
    expect(paths(batch.json)).toContain("model.baseURL");
    const run = await w.call(runs.POST, {
      as: editor(),
      params: alpha,
      body: {
        task: "echo",
        datasetVersionId,
        models: { task: inline, optimizer: "sim:default" },
        metrics: ["exact_match"],
      },
    });
    expect(run.status).toBe(400);
    expect(paths(run.json)).toContain("models.task.baseURL");
    expect(await w.db.batchJob.count()).toBe(0);
    expect(await w.db.optimizationRun.count()).toBe(0);
    expect(listener.connections()).toBe(0);
  });

  it("finding 1: a batch stored with such a model before the fix fails without calling it", async () => {
    const created = await createBatch(
      w.db,
      { principal: w.users.editor.principal, project: w.projects.alpha, role: "editor" },
      { task: "echo", datasetVersionId, model: "sim:default", cache: { enabled: false, ttlSeconds: 60 } },
      undefined,
      undefined,
      { dispatch: async () => {}, env: {} },
    );
    await w.db.batchJob.update({
      where: { id: created.id },
      data: {
        model: {
          id: "openai-compatible:x",
          baseURL: listener.url,
          apiKeyEnv: "NEXTAUTH_SECRET",
          concurrency: 1,
        },
      },
    });
    const outcome = await executeBatch(w.db, created.id, rowStateSteps());
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toContain("model.baseURL");
    expect(listener.connections()).toBe(0);
  });

  it("finding 2: the stored credential goes only to the endpoint it was stored with", async () => {
    const stored = await w.call(credential.PUT, {
      as: admin(),
      params: { ...alpha, credential: "openai" },
      body: { apiKey: STORED_KEY, baseURL: fake.baseURL },
    });
    expect(stored.status).toBe(200);
    const redirected = await w.call(modelConfigs.POST, {
      as: editor(),
      params: alpha,
      body: { name: "mini", model: "openai:gpt-4o-mini", baseURL: listener.url },
    });
    expect(redirected.status).toBe(400);
    expect(paths(redirected.json)).toContain("baseURL");
    const mini = await w.call(modelConfigs.POST, {
      as: editor(),
      params: alpha,
      body: { name: "mini", model: "openai:gpt-4o-mini", concurrency: 1 },
    });
    expect(mini.status).toBe(201);

    const before = fake.requests.length;
    const started = await uploadBatch("mini");
    expect(started.status, started.text).toBe(202);
    await embeddedRunner().idle();
    const done = await w.db.batchJob.findUniqueOrThrow({ where: { id: started.json.id } });
    expect(done).toMatchObject({ status: "succeeded", doneRows: 3, failedRows: 0 });
    expect(fake.requests.length - before).toBe(3);
    expect(listener.connections()).toBe(0);
    expect(listener.seen.join("")).not.toContain(STORED_KEY);
  });

  it("a named credential binds a second server and its key; a configuration only names it", async () => {
    const put = await w.call(credential.PUT, {
      as: admin(),
      params: { ...alpha, credential: "second" },
      body: { provider: "openai-compatible", baseURL: second.baseURL, apiKey: SECOND_KEY },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      name: "second",
      provider: "openai-compatible",
      endpoint: second.baseURL,
    });
    const wrongProvider = await w.call(modelConfigs.POST, {
      as: editor(),
      params: alpha,
      body: { name: "other", model: "openai-compatible:echo", credential: "openai" },
    });
    expect(wrongProvider.status).toBe(400);
    expect(paths(wrongProvider.json)).toContain("credential");
    const other = await w.call(modelConfigs.POST, {
      as: editor(),
      params: alpha,
      body: { name: "other", model: "openai-compatible:echo", credential: "second", concurrency: 1 },
    });
    expect(other.status).toBe(201);

    const [fakeBefore, secondBefore] = [fake.requests.length, second.requests.length];
    const started = await uploadBatch("other");
    expect(started.status, started.text).toBe(202);
    await embeddedRunner().idle();
    expect(await w.db.batchJob.findUniqueOrThrow({ where: { id: started.json.id } })).toMatchObject({
      status: "succeeded",
      doneRows: 3,
    });
    expect(second.requests.length - secondBefore).toBe(3);
    expect(fake.requests.length).toBe(fakeBefore);
    // Removing a credential a configuration names would break it later: refused now, naming it.
    const removed = await w.call(credential.DELETE, {
      as: admin(),
      params: { ...alpha, credential: "second" },
    });
    expect(removed.status).toBe(409);
    expect(removed.json.error.message).toContain('"other"');
    expect(listener.connections()).toBe(0);
  });

  it("finding 3: what a non-LLM server answers is never echoed back (Test connection)", async () => {
    const page = http.createServer((_req, res) =>
      res
        .writeHead(503, { "content-type": "text/html" })
        .end("<html><body>Internal admin: db password hunter2</body></html>"),
    );
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = page.address() as AddressInfo;
      await w.call(credential.PUT, {
        as: admin(),
        params: { ...alpha, credential: "internal" },
        body: { provider: "openai-compatible", baseURL: `http://127.0.0.1:${port}/v1` },
      });
      const tested = await w.call(credentialTest.POST, {
        as: admin(),
        params: { ...alpha, credential: "internal" },
        body: { model: "x" },
      });
      expect(tested.status).toBe(200);
      expect(tested.json).toMatchObject({ ok: false, name: "internal" });
      expect(tested.json.error).toContain("503");
      expect(tested.text).not.toContain("hunter2");
      expect(tested.text).not.toContain("<html");
    } finally {
      await new Promise<void>((resolve) => page.close(() => resolve()));
    }
  });
});
