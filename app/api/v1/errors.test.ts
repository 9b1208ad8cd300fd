// The API's error answers, from route handlers called directly with `new Request(...)`: 401 without or
// with a bad credential, 403 naming the role needed (and for a cross-site cookie write), 404 for another
// project exactly as for a missing one, 400 naming each bad field, 413 and 415 — all in the one error
// envelope (lib/validation/common.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, type CallOptions, type CallResult, createApiWorld } from "@/lib/http/testing";
import * as audit from "./projects/[project]/audit/route";
import * as members from "./projects/[project]/members/route";
import * as project from "./projects/[project]/route";
import * as projects from "./projects/route";

describe.each(TEST_PROVIDERS)("API errors on %s", (provider) => {
  let w: ApiWorld;
  const call = (handler: RouteHandler, options: CallOptions = {}): Promise<CallResult> =>
    w.call(handler, options);
  const alpha = { project: "alpha" };

  beforeAll(async () => {
    w = await createApiWorld(provider);
  });
  afterAll(async () => {
    await w?.close();
  });

  describe("errors", () => {
    it("401 without credentials, in the error envelope", async () => {
      const res = await call(members.GET, { params: alpha });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({
        error: { code: "unauthenticated", message: expect.any(String), details: { issues: [] } },
      });
      expect(res.headers.get("content-type")).toContain("application/json");
    });

    it("401 for a malformed, unknown or wrongly signed credential", async () => {
      for (const as of [
        { bearer: "strop_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
        { bearer: "nonsense" },
        { cookie: "next-auth.session-token=forged" },
      ]) {
        expect((await call(members.GET, { params: alpha, as })).status).toBe(401);
      }
      const res = await call(members.GET, { params: alpha, headers: { authorization: "Basic abc" } });
      expect(res.json.error.code).toBe("unauthenticated");
    });

    it("403 for a viewer writing, naming the role needed", async () => {
      const res = await call(members.POST, {
        params: alpha,
        as: w.users.viewer.credential,
        body: { email: "x@example.com", role: "viewer" },
      });
      expect(res.status).toBe(403);
      expect(res.json.error).toMatchObject({
        code: "forbidden",
        details: { required: "admin", role: "viewer" },
      });
    });

    it("404 for another project's key, exactly as for a project that does not exist", async () => {
      const other = await call(members.GET, { params: alpha, as: { bearer: w.keys.betaAdmin } });
      const missing = await call(members.GET, {
        params: { project: "nope" },
        as: { bearer: w.keys.betaAdmin },
      });
      expect(other.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(other.json.error.code).toBe(missing.json.error.code);
      expect(other.json.error.message.replace("alpha", "X")).toBe(
        missing.json.error.message.replace("nope", "X"),
      );
      expect((await call(project.GET, { params: alpha, as: w.users.outsider.credential })).status).toBe(404);
    });

    it("400 naming each bad field", async () => {
      const res = await call(projects.POST, {
        as: w.users.viewer.credential,
        body: { slug: "Bad Slug!", name: "" },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe("invalid_input");
      expect(res.json.error.message).toMatch(/^Invalid body\.slug: /);
      const fields = res.json.error.details.issues.map(
        (i: { in: string; path: string }) => `${i.in}.${i.path}`,
      );
      expect(fields).toEqual(expect.arrayContaining(["body.slug", "body.name"]));
    });

    it("400 for a missing or malformed body and a bad query; 415 for non-JSON; 413 for a huge body", async () => {
      const as = w.users.owner.credential;
      const missing = await call(projects.POST, { as });
      expect(missing.status).toBe(400);
      expect(missing.json.error.details.issues[0]).toMatchObject({ in: "body", path: "" });
      const malformed = await call(projects.POST, { as, rawBody: "{not json" });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error.message).toMatch(/not valid JSON/);
      expect((await call(projects.POST, { as, rawBody: "slug=x", contentType: "text/plain" })).status).toBe(
        415,
      );
      const huge = await call(projects.POST, {
        as,
        rawBody: JSON.stringify({ name: "x".repeat(2_000_000) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.json.error.code).toBe("payload_too_large");
      const query = await call(audit.GET, { params: alpha, as, query: { limit: "0" } });
      expect(query.status).toBe(400);
      expect(query.json.error.details.issues[0]).toMatchObject({ in: "query", path: "limit" });
    });

    it("403 for a cookie-authenticated write from another origin", async () => {
      const res = await call(projects.POST, {
        as: w.users.owner.credential,
        headers: { origin: "https://evil.example", host: "localhost" },
        body: { slug: "evil", name: "Evil" },
      });
      expect(res.status).toBe(403);
    });
  });
});
