// ML settings over HTTP on both databases: model and metric configurations (CRUD, 400 naming the field,
// 409 on a taken name or a stale update), provider credentials (write-only, encrypted, fingerprinted,
// audited without values, never in a response, an audit row or the console) and the connection test
// against the loopback fake OpenAI server over real HTTP.
import { format } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type CallOptions, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { resolveProviderCredentials } from "@/lib/services/credentials/for-models";
import * as credential from "./projects/[project]/credentials/[credential]/route";
import * as credentialTest from "./projects/[project]/credentials/[credential]/test/route";
import * as credentials from "./projects/[project]/credentials/route";
import * as metricConfig from "./projects/[project]/metric-configs/[name]/route";
import * as metricConfigs from "./projects/[project]/metric-configs/route";
import * as modelConfig from "./projects/[project]/model-configs/[name]/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";

const OPENAI_KEY = "sk-test-openai-SECRET-0123456789abcdef";
const OPENAI_KEY_2 = "sk-test-openai-SECRET-2-fedcba9876543210";
const ANTHROPIC_KEY = "sk-ant-test-SECRET-abcdefabcdef";
const COMPAT_KEY = "compat-SECRET-key-5555555555";
const PRIVATE_KEY =
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-SECRET\n-----END PRIVATE KEY-----\n";
const SERVICE_ACCOUNT = JSON.stringify({
  type: "service_account",
  project_id: "strop-test",
  private_key_id: "0123456789abcdef0123456789abcdef01234567",
  private_key: PRIVATE_KEY,
  client_email: "strop@strop-test.iam.gserviceaccount.com",
});
const SECRETS = [
  OPENAI_KEY,
  OPENAI_KEY_2,
  ANTHROPIC_KEY,
  COMPAT_KEY,
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-SECRET",
];
const PROVIDER_ENV_VARS = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "ANTHROPIC_API_KEY",
  "GOOGLE_VERTEX_PROJECT",
  "GOOGLE_VERTEX_API_KEY",
  "GOOGLE_VERTEX_LOCATION",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "OPENAI_COMPATIBLE_BASE_URL",
  "OPENAI_COMPATIBLE_API_KEY",
];

/** Everything written to the console or the process streams while the tests run. */
const captured: string[] = [];
const savedEnv: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(format(...args));
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  // The stored credentials are what these tests exercise: the environment must not configure providers.
  for (const name of PROVIDER_ENV_VARS) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
});

afterAll(() => {
  vi.restoreAllMocks();
  for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
});

describe.each(TEST_PROVIDERS)("ML settings API on %s", (provider) => {
  let w: ApiWorld;
  let fake: FakeServer;
  let denying: FakeServer;
  const alpha = { project: "alpha" };
  const as = {
    viewer: () => w.users.viewer.credential,
    editor: () => w.users.editor.credential,
    admin: () => w.users.admin.credential,
    editorKey: () => ({ bearer: w.keys.alphaEditor }),
    adminKey: () => ({ bearer: w.keys.alphaAdmin }),
  };
  /** Every response body of the run, to search for secrets. */
  const bodies: string[] = [];
  const call = async (handler: Parameters<ApiWorld["call"]>[0], options: CallOptions) => {
    const result = await w.call(handler, options);
    bodies.push(result.text);
    return result;
  };
  const issuePaths = (json: { error?: { details?: { issues?: { path: string }[] } } }) =>
    (json.error?.details?.issues ?? []).map((i) => i.path);

  beforeAll(async () => {
    w = await createApiWorld(provider);
    fake = await startFakeOpenAIServer();
    denying = await startFakeOpenAIServer({
      // The provider's message quotes the key, as OpenAI's does: the report must not.
      respond: () => ({
        status: 401,
        body: {
          error: {
            message: `Incorrect API key provided: ${COMPAT_KEY}.`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      }),
    });
  });

  afterAll(async () => {
    await fake?.close();
    await denying?.close();
    await w?.close();
  });

  describe("model configurations", () => {
    const body = {
      name: "fast",
      model: "openai:gpt-4o-mini",
      params: { temperature: 0.2, maxOutputTokens: 256 },
      price: { input: 0.15, output: 0.6 },
      concurrency: 4,
      rateLimit: { requestsPerMinute: 500, tokensPerMinute: 200_000 },
    };

    it("an editor creates, reads, updates (with the version it saw) and deletes one; each change is audited", async () => {
      const created = await call(modelConfigs.POST, { as: as.editor(), params: alpha, body });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: "fast",
        model: "openai:gpt-4o-mini",
        credential: null,
        params: { temperature: 0.2, maxOutputTokens: 256 },
        price: { input: 0.15, output: 0.6 },
        concurrency: 4,
        rateLimit: { requestsPerMinute: 500, tokensPerMinute: 200_000 },
        timeoutMs: null,
        maxRetries: null,
        updatedBy: w.users.editor.email,
      });
      expect((await call(modelConfigs.POST, { as: as.editor(), params: alpha, body })).status).toBe(409);

      const list = await call(modelConfigs.GET, { as: as.viewer(), params: alpha });
      expect(list.status).toBe(200);
      expect(list.json.items.map((m: { name: string }) => m.name)).toEqual(["fast"]);
      const one = await call(modelConfig.GET, { as: as.viewer(), params: { ...alpha, name: "fast" } });
      expect(one.json.updatedAt).toBe(created.json.updatedAt);

      const { name: _name, ...fields } = body;
      const update = {
        ...fields,
        concurrency: 2,
        timeoutMs: 30_000,
        expectedUpdatedAt: created.json.updatedAt,
      };
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await call(modelConfig.PUT, {
        as: as.editorKey(),
        params: { ...alpha, name: "fast" },
        body: update,
      });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ concurrency: 2, timeoutMs: 30_000 });
      expect(updated.json.updatedAt).not.toBe(created.json.updatedAt);
      // The same stale version again: someone else's change is not overwritten.
      const stale = await call(modelConfig.PUT, {
        as: as.editor(),
        params: { ...alpha, name: "fast" },
        body: update,
      });
      expect(stale.status).toBe(409);
      expect(
        (await call(modelConfig.PUT, { as: as.editor(), params: { ...alpha, name: "nope" }, body: fields }))
          .status,
      ).toBe(404);

      expect(
        (await call(modelConfig.DELETE, { as: as.editor(), params: { ...alpha, name: "fast" } })).status,
      ).toBe(204);
      expect(
        (await call(modelConfig.GET, { as: as.viewer(), params: { ...alpha, name: "fast" } })).status,
      ).toBe(404);
      expect(
        (await call(modelConfig.DELETE, { as: as.editor(), params: { ...alpha, name: "fast" } })).status,
      ).toBe(404);

      const audit = await w.db.auditLog.findMany({
        where: { projectId: w.projects.alpha.id, targetType: "model_config" },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((a) => a.action)).toEqual([
        "model_config.created",
        "model_config.updated",
        "model_config.deleted",
      ]);
      expect(audit[1]!.before).toMatchObject({ concurrency: 4 });
      expect(audit[1]!.after).toMatchObject({ concurrency: 2 });
    });

    it("viewers cannot write", async () => {
      expect((await call(modelConfigs.POST, { as: as.viewer(), params: alpha, body })).status).toBe(403);
      expect(
        (await call(modelConfig.DELETE, { as: as.viewer(), params: { ...alpha, name: "fast" } })).status,
      ).toBe(403);
    });

    it.each([
      ["an empty name", { name: "" }, "name"],
      ["a name with a slash", { name: "a/b" }, "name"],
      ["a model without a provider", { model: "gpt-4o" }, "model"],
      ["an unknown provider", { model: "foo:bar" }, "model"],
      ["a temperature above 2", { params: { temperature: 3 } }, "params.temperature"],
      ["zero max tokens", { params: { maxOutputTokens: 0 } }, "params.maxOutputTokens"],
      ["zero concurrency", { concurrency: 0 }, "concurrency"],
      ["zero requests per minute", { rateLimit: { requestsPerMinute: 0 } }, "rateLimit.requestsPerMinute"],
      ["negative tokens per minute", { rateLimit: { tokensPerMinute: -5 } }, "rateLimit.tokensPerMinute"],
      ["a negative price", { price: { input: -1, output: 1 } }, "price.input"],
      ["half a price", { price: { input: 1 } }, "price.output"],
      ["a zero timeout", { timeoutMs: 0 }, "timeoutMs"],
      ["negative retries", { maxRetries: -1 }, "maxRetries"],
      ["an endpoint of its own", { baseURL: "http://127.0.0.1:9/v1" }, "baseURL"],
      ["a key variable of its own", { apiKeyEnv: "NEXTAUTH_SECRET" }, "apiKeyEnv"],
      ["a credential that does not exist", { credential: "nope" }, "credential"],
    ])("refuses %s with 400 naming the field (create and update)", async (_label, change, field) => {
      const created = await call(modelConfigs.POST, {
        as: as.editor(),
        params: alpha,
        body: { ...body, name: "ok", ...change },
      });
      expect(created.status).toBe(400);
      expect(issuePaths(created.json)).toContain(field);
      expect(created.json.error.message).toContain(field);
      if (field === "name") return;
      await call(modelConfigs.POST, { as: as.editor(), params: alpha, body: { ...body, name: "target" } });
      const { name: _n, ...fields } = body;
      const updated = await call(modelConfig.PUT, {
        as: as.editor(),
        params: { ...alpha, name: "target" },
        body: { ...fields, ...change },
      });
      expect(updated.status).toBe(400);
      expect(issuePaths(updated.json)).toContain(field);
    });

    it("refuses unknown fields and bodies that are not JSON objects", async () => {
      const unknown = await call(modelConfigs.POST, {
        as: as.editor(),
        params: alpha,
        body: { ...body, name: "x", tempreature: 1 },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.message).toContain("tempreature");
      expect((await call(modelConfigs.POST, { as: as.editor(), params: alpha })).status).toBe(400);
    });
  });

  describe("metric configurations", () => {
    it("an editor creates, updates and deletes one; the metric and its options are checked", async () => {
      const created = await call(metricConfigs.POST, {
        as: as.editor(),
        params: alpha,
        body: { name: "exact", metric: "exact_match", weight: 2, target: 0.9 },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: "exact",
        metric: "exact_match",
        options: {},
        weight: 2,
        target: 0.9,
      });
      const updated = await call(metricConfig.PUT, {
        as: as.editor(),
        params: { ...alpha, name: "exact" },
        body: { metric: "regex", options: { pattern: "^pos" }, expectedUpdatedAt: created.json.updatedAt },
      });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({
        metric: "regex",
        options: { pattern: "^pos" },
        weight: 1,
        target: null,
      });
      const list = await call(metricConfigs.GET, { as: as.viewer(), params: alpha });
      expect(list.json.items).toHaveLength(1);
      expect(
        (await call(metricConfig.DELETE, { as: as.viewer(), params: { ...alpha, name: "exact" } })).status,
      ).toBe(403);
      expect(
        (await call(metricConfig.DELETE, { as: as.editor(), params: { ...alpha, name: "exact" } })).status,
      ).toBe(204);
      const actions = await w.db.auditLog.findMany({
        where: { projectId: w.projects.alpha.id, targetType: "metric_config" },
        orderBy: { createdAt: "asc" },
      });
      expect(actions.map((a) => a.action)).toEqual([
        "metric_config.created",
        "metric_config.updated",
        "metric_config.deleted",
      ]);
    });

    it.each([
      ["an unknown metric", { metric: "accuracy" }, "metric"],
      ["a bad regex", { metric: "regex", options: { pattern: "(" } }, "options.pattern"],
      ["an unknown option", { metric: "exact_match", options: { nope: true } }, "options.nope"],
      ["a zero weight", { weight: 0 }, "weight"],
      ["a target above 1", { target: 2 }, "target"],
      ["options that are not an object", { options: [1] }, "options"],
    ])("refuses %s with 400 naming the field (create and update)", async (_label, change, field) => {
      const base = { name: "m", metric: "exact_match" };
      const created = await call(metricConfigs.POST, {
        as: as.editor(),
        params: alpha,
        body: { ...base, ...change },
      });
      expect(created.status).toBe(400);
      expect(issuePaths(created.json)).toContain(field);
      await call(metricConfigs.POST, {
        as: as.editor(),
        params: alpha,
        body: { name: "kept", metric: "contains" },
      });
      const updated = await call(metricConfig.PUT, {
        as: as.editor(),
        params: { ...alpha, name: "kept" },
        body: { metric: "exact_match", ...change },
      });
      expect(updated.status).toBe(400);
      expect(issuePaths(updated.json)).toContain(field);
    });
  });

  describe("provider credentials", () => {
    it("everyone sees every provider as not set; editors cannot set one, admins can", async () => {
      const list = await call(credentials.GET, { as: as.viewer(), params: alpha });
      expect(list.status).toBe(200);
      expect(list.json.items.map((c: { name: string; set: boolean }) => [c.name, c.set])).toEqual([
        ["openai", false],
        ["anthropic", false],
        ["vertex", false],
        ["openai-compatible", false],
      ]);
      const put = {
        params: { ...alpha, credential: "openai" },
        body: { apiKey: OPENAI_KEY, baseURL: fake.baseURL },
      };
      expect((await call(credential.PUT, { as: as.editor(), ...put })).status).toBe(403);
      expect((await call(credential.PUT, { as: as.editorKey(), ...put })).status).toBe(403);
      const saved = await call(credential.PUT, { as: as.admin(), ...put });
      expect(saved.status).toBe(200);
      expect(saved.json).toMatchObject({
        name: "openai",
        provider: "openai",
        endpoint: fake.baseURL,
        set: true,
        updatedBy: w.users.admin.email,
        environment: false,
      });
      expect(saved.json.fingerprint).toMatch(/^[0-9a-f]{8}$/);
      expect(Object.keys(saved.json).sort()).toEqual([
        "endpoint",
        "environment",
        "fingerprint",
        "name",
        "provider",
        "set",
        "updatedAt",
        "updatedBy",
        "usedBy",
      ]);
    });

    it("stores only ciphertext, replaces with a new fingerprint, and audits set/changed/removed without values", async () => {
      const first = await call(credential.GET, {
        as: as.viewer(),
        params: { ...alpha, credential: "openai" },
      });
      expect(first.json.set).toBe(true);
      const replaced = await call(credential.PUT, {
        as: as.adminKey(),
        params: { ...alpha, credential: "openai" },
        body: { apiKey: OPENAI_KEY_2, baseURL: denying.baseURL },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.json.fingerprint).not.toBe(first.json.fingerprint);
      await call(credential.PUT, {
        as: as.admin(),
        params: { ...alpha, credential: "anthropic" },
        body: { apiKey: ANTHROPIC_KEY },
      });
      const vertex = await call(credential.PUT, {
        as: as.admin(),
        params: { ...alpha, credential: "vertex" },
        body: { project: "strop-test", serviceAccountJson: SERVICE_ACCOUNT },
      });
      expect(vertex.status).toBe(200);
      expect(
        (await call(credential.DELETE, { as: as.admin(), params: { ...alpha, credential: "anthropic" } }))
          .status,
      ).toBe(204);
      expect(
        (await call(credential.DELETE, { as: as.admin(), params: { ...alpha, credential: "anthropic" } }))
          .status,
      ).toBe(404);

      const rows = await w.db.providerCredential.findMany();
      expect(rows.map((r) => r.provider).sort()).toEqual(["openai", "vertex"]);
      for (const row of rows) expect(row.ciphertext).toMatch(/^v1\./);
      const audit = await w.db.auditLog.findMany({
        where: { targetType: "provider_credential" },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((a) => `${a.action}:${a.targetId}`)).toEqual([
        "credential.set:openai",
        "credential.changed:openai",
        "credential.set:anthropic",
        "credential.set:vertex",
        "credential.removed:anthropic",
      ]);
      expect(audit[1]!.before).toEqual({
        name: "openai",
        provider: "openai",
        endpoint: fake.baseURL,
        fingerprint: first.json.fingerprint,
      });
      expect(audit[1]!.after).toEqual({
        name: "openai",
        provider: "openai",
        endpoint: denying.baseURL,
        fingerprint: replaced.json.fingerprint,
      });
      // Put the working endpoint back for the connection test.
      await call(credential.PUT, {
        as: as.admin(),
        params: { ...alpha, credential: "openai" },
        body: { apiKey: OPENAI_KEY, baseURL: fake.baseURL },
      });
    });

    it.each([
      ["openai", {}, "apiKey"],
      ["openai", { apiKey: "  " }, "apiKey"],
      ["openai", { apiKey: "k", baseURL: "ftp://example.com" }, "baseURL"],
      ["openai", { apiKey: "k", baseURL: "https://api.example.com/v1?x=/admin" }, "baseURL"],
      ["openai", { apiKey: "k", baseURL: "https://api.example.com/v1#" }, "baseURL"],
      ["openai", { apiKey: "k", baseURL: "https://user:pw@api.example.com/v1" }, "baseURL"],
      ["openai", { provider: "anthropic", apiKey: "k" }, "provider"],
      ["my-server", { baseURL: "http://127.0.0.1:9/v1" }, "provider"],
      ["anthropic", { apiKey: "k", baseURL: "http://x" }, ""],
      ["vertex", { serviceAccountJson: SERVICE_ACCOUNT }, "project"],
      ["vertex", { project: "p", serviceAccountJson: "{not json" }, "serviceAccountJson"],
      ["vertex", { project: "p", serviceAccountJson: '{"type":"service_account"}' }, "serviceAccountJson"],
      ["openai-compatible", { apiKey: "k" }, "baseURL"],
    ])(
      "refuses a bad %s credential %j with 400 naming the field, echoing no value",
      async (p, body, field) => {
        const res = await call(credential.PUT, { as: as.admin(), params: { ...alpha, credential: p }, body });
        expect(res.status).toBe(400);
        expect(issuePaths(res.json)).toContain(field);
        expect(res.text).not.toContain("MIIE");
      },
    );

    it("refuses an unknown provider and a bad name (400 naming them) and a bad test body", async () => {
      const res = await call(credential.PUT, {
        as: as.admin(),
        params: { ...alpha, credential: "openia" },
        body: { provider: "openia", apiKey: "k" },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.details.issues[0]).toMatchObject({ in: "body", path: "provider" });
      const badName = await call(credential.PUT, {
        as: as.admin(),
        params: { ...alpha, credential: "a b" },
        body: { provider: "openai", apiKey: "k" },
      });
      expect(badName.status).toBe(400);
      expect(badName.json.error.details.issues[0]).toMatchObject({ in: "params", path: "credential" });
      const test = await call(credentialTest.POST, {
        as: as.admin(),
        params: { ...alpha, credential: "openai" },
        body: { model: 5 },
      });
      expect(test.status).toBe(400);
      expect(issuePaths(test.json)).toContain("model");
    });

    it("tests the stored credential with one real call to the fake server", async () => {
      const before = fake.requests.length;
      const res = await call(credentialTest.POST, {
        as: as.admin(),
        params: { ...alpha, credential: "openai" },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: true, provider: "openai", model: "gpt-4o-mini", error: null });
      const sent = fake.requests.slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        path: "/v1/chat/completions",
        headers: { authorization: "[redacted]" },
      });
      expect((sent[0]!.body as { max_tokens: number }).max_tokens).toBe(5);
      // A model configuration of the provider names the model to try; the body can too.
      await call(modelConfigs.POST, {
        as: as.editor(),
        params: alpha,
        body: { name: "probe", model: "openai:probe-model" },
      });
      expect(
        (await call(credentialTest.POST, { as: as.admin(), params: { ...alpha, credential: "openai" } })).json
          .model,
      ).toBe("probe-model");
      const asked = await call(credentialTest.POST, {
        as: as.admin(),
        params: { ...alpha, credential: "openai" },
        body: { model: "openai:other" },
      });
      expect(asked.json).toMatchObject({ ok: true, model: "other" });
    });

    it("reports a 401 from the provider as a failed test (not a 500), without the key", async () => {
      await call(credential.PUT, {
        as: as.admin(),
        params: { ...alpha, credential: "openai-compatible" },
        body: { baseURL: denying.baseURL, apiKey: COMPAT_KEY },
      });
      const res = await call(credentialTest.POST, {
        as: as.admin(),
        params: { ...alpha, credential: "openai-compatible" },
        body: { model: "llama" },
      });
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      expect(res.json.error).toMatch(/Incorrect API key provided/);
      expect(res.json.error).toContain("[redacted]");
      expect(res.text).not.toContain(COMPAT_KEY);
      expect(
        (await call(credentialTest.POST, { as: as.editor(), params: { ...alpha, credential: "openai" } }))
          .status,
      ).toBe(403);
      const none = await call(credentialTest.POST, {
        as: as.admin(),
        params: { ...alpha, credential: "anthropic" },
      });
      expect(none.status).toBe(404);
    });

    it("runs use the stored credentials when the environment has none, and the environment when it has", async () => {
      const defaults = (env: Record<string, string>, projectId = w.projects.alpha.id) =>
        resolveProviderCredentials(w.db, projectId, [], { author: "project", env }).then((r) => r.env);
      const env = await defaults({});
      expect(env).toMatchObject({
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: fake.baseURL,
        GOOGLE_VERTEX_PROJECT: "strop-test",
        GOOGLE_VERTEX_LOCATION: "us-central1",
        GOOGLE_VERTEX_SERVICE_ACCOUNT_KEY: SERVICE_ACCOUNT,
        OPENAI_COMPATIBLE_BASE_URL: denying.baseURL,
        OPENAI_COMPATIBLE_API_KEY: COMPAT_KEY,
      });
      expect(env.ANTHROPIC_API_KEY).toBeUndefined();
      const fromEnv = await defaults({ OPENAI_API_KEY: "sk-env", OPENAI_BASE_URL: "http://env.example/v1" });
      expect(fromEnv.OPENAI_API_KEY).toBe("sk-env");
      expect(fromEnv.OPENAI_BASE_URL).toBe("http://env.example/v1");
      // Another project has none.
      expect((await defaults({}, w.projects.beta.id)).OPENAI_API_KEY).toBeUndefined();
      // A credential that no longer decrypts (here: moved to another project) is left out with a warning.
      const row = await w.db.providerCredential
        .findFirstOrThrow({ where: { provider: "anthropic" } })
        .catch(() => null);
      expect(row).toBeNull();
      const openaiRow = await w.db.providerCredential.findFirstOrThrow({ where: { provider: "openai" } });
      await w.db.providerCredential.create({
        data: { ...openaiRow, id: undefined, projectId: w.projects.beta.id },
      });
      // (The warning goes to the console, which these tests capture and search for secrets.)
      const moved = await defaults({}, w.projects.beta.id);
      expect(moved.OPENAI_API_KEY).toBeUndefined();
      expect(captured.join("\n")).toMatch(/credential "openai" .* cannot be used: .*integrity/);
      await w.db.providerCredential.deleteMany({ where: { projectId: w.projects.beta.id } });
      // The environment flag shows in the statuses.
      process.env.OPENAI_API_KEY = "sk-env-flag";
      try {
        const status = await call(credential.GET, {
          as: as.viewer(),
          params: { ...alpha, credential: "openai" },
        });
        expect(status.json.environment).toBe(true);
      } finally {
        delete process.env.OPENAI_API_KEY;
      }
    });

    it("other projects see nothing of alpha's credentials", async () => {
      const res = await call(credentials.GET, { as: w.users.outsider.credential, params: alpha });
      expect(res.status).toBe(404);
      const own = await call(credentials.GET, {
        as: w.users.outsider.credential,
        params: { project: "beta" },
      });
      expect(own.json.items.every((c: { set: boolean }) => !c.set)).toBe(true);
    });
  });

  afterEach(() => {
    // Checked after every test so that a leak names the test that caused it.
    const leaks = (texts: string[]) => SECRETS.filter((secret) => texts.some((t) => t.includes(secret)));
    expect(leaks(bodies), "a secret in a response").toEqual([]);
    expect(leaks(captured), "a secret in the console output").toEqual([]);
  });

  it("never puts a secret in an audit row", async () => {
    const audit = JSON.stringify(await w.db.auditLog.findMany());
    expect(SECRETS.filter((s) => audit.includes(s))).toEqual([]);
    expect(audit).not.toContain("PRIVATE KEY");
    const stored = JSON.stringify(await w.db.providerCredential.findMany());
    expect(SECRETS.filter((s) => stored.includes(s))).toEqual([]);
  });
});
