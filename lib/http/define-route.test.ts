// defineRoute itself, with throwaway operations: error mapping, limits, response shaping, spec checks.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { PEER_ADDRESS_HEADER, peerAddressStamp } from "@/lib/auth/client-address";
import { ConflictError } from "@/lib/core/errors";
import { defineRoute } from "./define-route";
import { buildOpenApiDocument } from "./openapi";
import { listOperations } from "./registry";
import { type ApiWorld, createApiWorld, invoke } from "./testing";

describe("defineRoute", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await createApiWorld("sqlite");
  });
  afterAll(async () => {
    await w?.close();
  });

  it("an unexpected error is a 500 with a generic message; the detail goes to the server log only", async () => {
    const route = defineRoute({
      method: "GET",
      path: "/api/v1/test/boom",
      summary: "boom",
      auth: "public",
      response: z.object({}),
      handler: async () => {
        throw new Error("database password is hunter2");
      },
    });
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await invoke(route);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      error: {
        code: "internal",
        message: "Internal server error.",
        details: { issues: [], requestId: expect.any(String) },
      },
    });
    expect(res.text).not.toContain("hunter2");
    expect(String(log.mock.calls[0]?.[1])).toContain("hunter2");
    expect(log.mock.calls[0]?.[0]).toContain(res.json.error.details.requestId);
    log.mockRestore();
  });

  it("maps AppErrors and database unique violations to their status", async () => {
    const conflict = defineRoute({
      method: "POST",
      path: "/api/v1/test/conflict",
      summary: "conflict",
      auth: "public",
      handler: async () => {
        throw new ConflictError("taken", { issues: [{ in: "body", path: "name", message: "taken" }] });
      },
    });
    expect((await invoke(conflict)).json).toEqual({
      error: {
        code: "conflict",
        message: "taken",
        details: { issues: [{ in: "body", path: "name", message: "taken" }] },
      },
    });
    const unique = defineRoute({
      method: "POST",
      path: "/api/v1/test/unique",
      summary: "unique",
      auth: "public",
      handler: async () => {
        throw Object.assign(new Error("Unique constraint failed on the fields: (`email`)"), {
          code: "P2002",
        });
      },
    });
    const res = await invoke(unique);
    expect(res.status).toBe(409);
    expect(res.text).not.toContain("Unique constraint");
  });

  it("rate limits per client address with 429 and Retry-After", async () => {
    const route = defineRoute({
      method: "POST",
      path: "/api/v1/test/limited",
      summary: "limited",
      auth: "public",
      rateLimit: { limit: 2, windowMs: 60_000 },
      handler: async () => {},
    });
    // The address the app stamped from the socket; a client's X-Forwarded-For does not change it.
    const from = (ip: string) =>
      invoke(route, {
        headers: { [PEER_ADDRESS_HEADER]: peerAddressStamp(ip), "x-forwarded-for": `${Math.random()}` },
      });
    expect((await from("203.0.113.1")).status).toBe(204);
    expect((await from("203.0.113.1")).status).toBe(204);
    const limited = await from("203.0.113.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.json.error.code).toBe("rate_limited");
    expect((await from("203.0.113.2")).status).toBe(204);
  });

  it("optional credentials: a key or session is charged to its own bucket, not the IP's", async () => {
    const seen: (string | null)[] = [];
    const route = defineRoute({
      method: "POST",
      path: "/api/v1/test/optional",
      summary: "optional",
      auth: "optional",
      rateLimit: { limit: 2, windowMs: 60_000 },
      handler: async ({ principal }) => {
        seen.push(principal?.kind ?? null);
      },
    });
    const peer = { [PEER_ADDRESS_HEADER]: peerAddressStamp("203.0.113.9") };
    const call = (options: Parameters<typeof invoke>[1] = {}) =>
      invoke(route, { ...options, headers: { ...peer, ...options.headers } });
    // Five calls with a key from the address: none counts against it.
    for (let i = 0; i < 5; i++) expect((await call({ as: { bearer: w.keys.alphaEditor } })).status).toBe(204);
    // A bad key is a 401 and counts against the address, like an anonymous call.
    expect(
      (await call({ as: { bearer: "strop_nope1234_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" } })).status,
    ).toBe(401);
    expect((await call()).status).toBe(204);
    expect((await call()).status).toBe(429);
    // The address is spent, a key still goes through; a session too, unless another site sent its cookie.
    expect((await call({ as: { bearer: w.keys.alphaViewer } })).status).toBe(204);
    expect((await call({ as: w.users.viewer.credential })).status).toBe(204);
    const crossSite = await call({
      as: w.users.viewer.credential,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status, "a cross-site cookie makes the caller anonymous: the spent address").toBe(429);
    expect(seen).toEqual(["api_key", "api_key", "api_key", "api_key", "api_key", null, "api_key", "user"]);
  });

  it("shapes responses with the response schema: unlisted fields never leave; a mismatch is a 500", async () => {
    const route = defineRoute({
      method: "GET",
      path: "/api/v1/test/user",
      summary: "user",
      auth: "any",
      response: z.object({ email: z.string(), at: z.date() }),
      handler: async () =>
        ({
          email: "a@example.com",
          at: new Date("2030-01-02T03:04:05Z"),
          passwordHash: "scrypt$secret",
        }) as never,
    });
    const res = await invoke(route, { as: w.users.viewer.credential });
    expect(res.json).toEqual({ email: "a@example.com", at: "2030-01-02T03:04:05.000Z" });
    const wrong = defineRoute({
      method: "GET",
      path: "/api/v1/test/wrong",
      summary: "wrong",
      auth: "any",
      response: z.object({ count: z.number() }),
      handler: async () => ({ count: "many" }) as never,
    });
    vi.spyOn(console, "error").mockImplementationOnce(() => {});
    expect((await invoke(wrong, { as: w.users.viewer.credential })).status).toBe(500);
  });

  it("refuses specs whose params do not match the path, or project roles without {project}", () => {
    expect(() =>
      defineRoute({
        method: "GET",
        path: "/api/v1/test/{id}",
        summary: "x",
        auth: "any",
        params: z.object({ other: z.string() }),
        handler: async () => {},
      }),
    ).toThrow(/params schema/);
    expect(() =>
      defineRoute({
        method: "GET",
        path: "/api/v1/test/x",
        summary: "x",
        auth: { role: "viewer" },
        handler: async () => {},
      }),
    ).toThrow(/\{project\}/);
    expect(() =>
      defineRoute({ method: "GET", path: "/v2/x", summary: "x", auth: "public", handler: async () => {} }),
    ).toThrow(/\/api\/v1/);
  });

  it("documents operations: parameters, required bodies, components, resolvable references", () => {
    const Thing = z.object({ id: z.string(), at: z.date() }).meta({ id: "Thing" });
    defineRoute({
      method: "POST",
      path: "/api/v1/projects/{project}/things",
      summary: "make a thing",
      auth: { role: "editor" },
      params: z.object({ project: z.string() }),
      query: z.object({ dryRun: z.coerce.boolean().optional(), limit: z.coerce.number().default(5) }),
      body: z.object({ name: z.string() }),
      response: z.object({ thing: Thing, others: z.array(Thing) }),
      status: 201,
      handler: async () => ({ thing: { id: "1", at: new Date() }, others: [] }),
    });
    const doc = buildOpenApiDocument(listOperations());
    const op = doc.paths["/api/v1/projects/{project}/things"]!.post!;
    expect(op.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ["project", "path", true],
      ["dryRun", "query", false],
      ["limit", "query", false],
    ]);
    expect(op.requestBody?.required).toBe(true);
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "404", "413", "default"]),
    );
    expect(op["x-strop-auth"]).toBe("project");
    expect(op["x-strop-role"]).toBe("editor");
    expect(op.security).toEqual([{ session: [] }, { apiKey: [] }]);
    expect(doc.components.schemas.Thing).toMatchObject({
      properties: { at: { type: "string", format: "date-time" } },
    });
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain("$defs");
  });
});
