// ML settings over HTTP on both databases: provider credentials (write-only, encrypted, fingerprinted,
// audited without values, never in a response, an audit row or the console) and the connection test
// against the loopback fake OpenAI server over real HTTP. Model and metric configurations:
// ml-configs.test.ts.
import { format } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type CallOptions, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { resolveProviderCredentials } from "@/lib/services/credentials/for-models";
import * as credential from "./projects/[project]/credentials/[credential]/route";
import * as credentialTest from "./projects/[project]/credentials/[credential]/test/route";
import * as credentials from "./projects/[project]/credentials/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";
import {
  ANTHROPIC_KEY,
  COMPAT_KEY,
  OPENAI_KEY,
  OPENAI_KEY_2,
  PROVIDER_ENV_VARS,
  SECRETS,
  SERVICE_ACCOUNT,
} from "./testing/provider-secrets";

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
