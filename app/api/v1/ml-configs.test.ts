// Model and metric configurations over HTTP on both databases: CRUD, 400 naming the field, 409 on a
// taken name or a stale update, audit entries, viewers refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type CallOptions, createApiWorld } from "@/lib/http/testing";
import * as metricConfig from "./projects/[project]/metric-configs/[name]/route";
import * as metricConfigs from "./projects/[project]/metric-configs/route";
import * as modelConfig from "./projects/[project]/model-configs/[name]/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";

describe.each(TEST_PROVIDERS)("model and metric configurations API on %s", (provider) => {
  let w: ApiWorld;
  const alpha = { project: "alpha" };
  const as = {
    viewer: () => w.users.viewer.credential,
    editor: () => w.users.editor.credential,
    admin: () => w.users.admin.credential,
    editorKey: () => ({ bearer: w.keys.alphaEditor }),
    adminKey: () => ({ bearer: w.keys.alphaAdmin }),
  };
  const call = (handler: Parameters<ApiWorld["call"]>[0], options: CallOptions) => w.call(handler, options);
  const issuePaths = (json: { error?: { details?: { issues?: { path: string }[] } } }) =>
    (json.error?.details?.issues ?? []).map((i) => i.path);

  beforeAll(async () => {
    w = await createApiWorld(provider);
  });
  afterAll(async () => {
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
});
