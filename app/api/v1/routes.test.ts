// Route handlers called directly with `new Request(...)`: status codes, the error envelope, the flows of
// projects, members and API keys, and that secrets never come back (nor reach the audit log).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/auth/api-key-secret";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import {
  type ApiWorld,
  type CallOptions,
  type CallResult,
  createApiWorld,
  PASSWORD,
  sessionCredential,
} from "@/lib/http/testing";
import * as me from "./me/route";
import * as openapi from "./openapi.json/route";
import * as apiKey from "./projects/[project]/api-keys/[keyId]/route";
import * as apiKeys from "./projects/[project]/api-keys/route";
import * as audit from "./projects/[project]/audit/route";
import * as member from "./projects/[project]/members/[userId]/route";
import * as members from "./projects/[project]/members/route";
import * as project from "./projects/[project]/route";
import * as projects from "./projects/route";
import * as setup from "./setup/route";

describe.each(TEST_PROVIDERS)("API routes on %s", (provider) => {
  let w: ApiWorld;
  /** Every response of this file except the one-time key creation, to search for secrets. */
  const seen: string[] = [];
  const call = async (handler: RouteHandler, options: CallOptions = {}): Promise<CallResult> => {
    const result = await w.call(handler, options);
    seen.push(result.text);
    return result;
  };
  const alpha = { project: "alpha" };

  beforeAll(async () => {
    w = await createApiWorld(provider);
  });
  afterAll(async () => {
    await w?.close();
  });

  describe("accounts and projects", () => {
    it("GET /me for a user and for a key", async () => {
      const user = await call(me.GET, { as: w.users.viewer.credential });
      expect(user.json).toMatchObject({ kind: "user", user: { email: "viewer@example.com" } });
      expect(user.json.projects).toEqual([{ slug: "alpha", name: "Alpha", role: "viewer" }]);
      const key = await call(me.GET, { as: { bearer: w.keys.alphaEditor } });
      expect(key.json).toMatchObject({
        kind: "api_key",
        apiKey: { role: "editor" },
        project: { slug: "alpha" },
      });
    });

    it("setup works only once", async () => {
      const res = await call(setup.POST, { body: { email: "late@example.com", password: PASSWORD } });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe("conflict");
    });

    it("creates a project owned by its creator; keys cannot create projects; slugs are unique", async () => {
      const created = await call(projects.POST, {
        as: w.users.editor.credential,
        body: { slug: "editor-lab", name: "Editor lab" },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ slug: "editor-lab", role: "owner" });
      const list = await call(projects.GET, { as: w.users.editor.credential });
      expect(list.json.items.map((p: { slug: string }) => p.slug).sort()).toEqual(["alpha", "editor-lab"]);
      const again = await call(projects.POST, {
        as: w.users.editor.credential,
        body: { slug: "alpha", name: "A" },
      });
      expect(again.status).toBe(409);
      expect(again.json.error.details.issues[0].path).toBe("slug");
      const byKey = await call(projects.POST, {
        as: { bearer: w.keys.alphaAdmin },
        body: { slug: "k", name: "K" },
      });
      expect(byKey.status).toBe(403);
      const keyList = await call(projects.GET, { as: { bearer: w.keys.alphaViewer } });
      expect(keyList.json.items.map((p: { slug: string }) => p.slug)).toEqual(["alpha"]);
    });

    it("an owner can only use organizations they own a project in", async () => {
      const res = await call(projects.POST, {
        as: w.users.owner.credential,
        body: { slug: "sneaky", name: "Sneaky", organization: "beta" },
      });
      expect(res.status).toBe(404);
      const ok = await call(projects.POST, {
        as: w.users.owner.credential,
        body: { slug: "alpha-two", name: "Alpha two", organization: w.projects.alpha.organization.slug },
      });
      expect(ok.status).toBe(201);
      expect(ok.json.organization.slug).toBe(w.projects.alpha.organization.slug);
    });
  });

  describe("members", () => {
    it("admins invite existing and new users; a new email needs a password", async () => {
      const as = w.users.admin.credential;
      const noPassword = await call(members.POST, {
        params: alpha,
        as,
        body: { email: "new@example.com", role: "viewer" },
      });
      expect(noPassword.status).toBe(400);
      expect(noPassword.json.error.details.issues[0].path).toBe("password");
      const created = await call(members.POST, {
        params: alpha,
        as,
        body: { email: " New@Example.com ", role: "editor", password: "a new password 1" },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ email: "new@example.com", role: "editor" });
      expect(created.text).not.toContain("a new password 1");
      const existing = await call(members.POST, {
        params: alpha,
        as,
        body: { email: "outsider@example.com", role: "viewer" },
      });
      expect(existing.status).toBe(201);
      const twice = await call(members.POST, {
        params: alpha,
        as,
        body: { email: "outsider@example.com", role: "viewer" },
      });
      expect(twice.status).toBe(409);
    });

    it("admins cannot make or touch owners; owners can", async () => {
      const as = w.users.admin.credential;
      const outsider = w.users.outsider.id;
      const promote = await call(member.PATCH, {
        params: { ...alpha, userId: outsider },
        as,
        body: { role: "owner" },
      });
      expect(promote.status).toBe(403);
      const demoteOwner = await call(member.PATCH, {
        params: { ...alpha, userId: w.users.owner.id },
        as,
        body: { role: "viewer" },
      });
      expect(demoteOwner.status).toBe(403);
      const byOwner = await call(member.PATCH, {
        params: { ...alpha, userId: outsider },
        as: w.users.owner.credential,
        body: { role: "admin" },
      });
      expect(byOwner.status).toBe(200);
      expect(byOwner.json.role).toBe("admin");
    });

    it("the last owner can be neither demoted nor removed", async () => {
      const params = { ...alpha, userId: w.users.owner.id };
      const as = w.users.owner.credential;
      const demote = await call(member.PATCH, { params, as, body: { role: "admin" } });
      expect(demote.status).toBe(409);
      expect(demote.json.error.message).toMatch(/at least one owner/);
      expect((await call(member.DELETE, { params, as })).status).toBe(409);
      const still = await call(members.GET, { params: alpha, as });
      expect(still.json.items.find((m: { userId: string }) => m.userId === w.users.owner.id).role).toBe(
        "owner",
      );
    });

    it("removes a member (204), then that user sees 404", async () => {
      const params = { ...alpha, userId: w.users.outsider.id };
      const res = await call(member.DELETE, { params, as: w.users.owner.credential });
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      // The removal ended the user's sessions; signed in again, the project is gone for them.
      expect((await call(project.GET, { params: alpha, as: w.users.outsider.credential })).status).toBe(401);
      w.users.outsider.credential = await sessionCredential(w.db, w.users.outsider);
      expect((await call(project.GET, { params: alpha, as: w.users.outsider.credential })).status).toBe(404);
      expect((await call(member.DELETE, { params, as: w.users.owner.credential })).status).toBe(404);
    });
  });

  describe("API keys", () => {
    let secret = "";
    let keyId = "";

    it("creates a key whose secret is shown once and works as Bearer", async () => {
      const res = await w.call(apiKeys.POST, {
        params: alpha,
        as: w.users.admin.credential,
        body: { name: "CI", role: "editor" },
      });
      expect(res.status).toBe(201);
      secret = res.json.secret;
      keyId = res.json.apiKey.id;
      expect(secret).toMatch(/^strop_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(secret.startsWith(res.json.apiKey.prefix)).toBe(true);
      const list = await call(apiKeys.GET, { params: alpha, as: w.users.admin.credential });
      const listed = list.json.items.find((k: { id: string }) => k.id === keyId);
      expect(listed).toMatchObject({ name: "CI", role: "editor", lastUsedAt: null, revokedAt: null });
      expect(Object.keys(listed).sort()).toEqual(
        ["createdAt", "createdBy", "id", "lastUsedAt", "name", "prefix", "revokedAt", "role"].sort(),
      );
      const used = await call(me.GET, { as: { bearer: secret } });
      expect(used.json.apiKey.id).toBe(keyId);
      const after = await call(apiKeys.GET, { params: alpha, as: w.users.admin.credential });
      expect(after.json.items.find((k: { id: string }) => k.id === keyId).lastUsedAt).not.toBeNull();
    });

    it("editors cannot manage keys; admins cannot mint owner keys; keys act only within their role", async () => {
      const body = { name: "x", role: "viewer" };
      expect((await call(apiKeys.POST, { params: alpha, as: w.users.editor.credential, body })).status).toBe(
        403,
      );
      const owner = await call(apiKeys.POST, {
        params: alpha,
        as: w.users.admin.credential,
        body: { name: "x", role: "owner" },
      });
      expect(owner.status).toBe(400);
      expect(owner.json.error.details.issues[0].path).toBe("role");
      expect((await call(apiKeys.GET, { params: alpha, as: { bearer: secret } })).status).toBe(403);
    });

    it("revokes a key: it stops working at once; revoking twice is harmless; other projects' keys are 404", async () => {
      const other = await call(apiKey.DELETE, {
        params: { project: "beta", keyId },
        as: w.users.outsider.credential,
      });
      expect(other.status).toBe(404);
      const res = await call(apiKey.DELETE, { params: { ...alpha, keyId }, as: w.users.owner.credential });
      expect(res.status).toBe(200);
      expect(res.json.revokedAt).not.toBeNull();
      expect((await call(me.GET, { as: { bearer: secret } })).status).toBe(401);
      expect(
        (await call(apiKey.DELETE, { params: { ...alpha, keyId }, as: w.users.owner.credential })).status,
      ).toBe(200);
      const revocations = await w.db.auditLog.count({
        where: { action: "api_key.revoked", targetId: keyId },
      });
      expect(revocations).toBe(1);
    });

    it("no response after creation, and no audit entry, contains the secret, its hash or a password", async () => {
      const rows = JSON.stringify(await w.db.auditLog.findMany());
      for (const text of [...seen, rows]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice(15));
        expect(text).not.toContain(hashApiKey(secret));
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain("a new password 1");
        expect(text).not.toContain("scrypt$");
      }
    });
  });

  describe("audit log", () => {
    it("lists entries newest first, filters by action, pages with a cursor", async () => {
      const as = w.users.admin.credential;
      const all = await call(audit.GET, { params: alpha, as, query: { limit: "200" } });
      expect(all.status).toBe(200);
      const actions = all.json.items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          "project.created",
          "member.added",
          "member.role_changed",
          "member.removed",
          "api_key.created",
          "api_key.revoked",
        ]),
      );
      const times = all.json.items.map((e: { createdAt: string }) => e.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      const roleChange = all.json.items.find((e: { action: string }) => e.action === "member.role_changed");
      expect(roleChange).toMatchObject({
        actor: { type: "user", label: "owner@example.com" },
        before: { role: "viewer" },
        after: { role: "admin" },
        ip: null,
      });

      const filtered = await call(audit.GET, { params: alpha, as, query: { action: "member." } });
      expect(filtered.json.items.every((e: { action: string }) => e.action.startsWith("member."))).toBe(true);

      const first = await call(audit.GET, { params: alpha, as, query: { limit: "2" } });
      expect(first.json.items).toHaveLength(2);
      const second = await call(audit.GET, {
        params: alpha,
        as,
        query: { limit: "2", cursor: first.json.nextCursor },
      });
      expect(second.json.items[0].id).toBe(all.json.items[2].id);
      const bad = await call(audit.GET, { params: alpha, as, query: { cursor: "garbage" } });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details.issues[0]).toMatchObject({ in: "query", path: "cursor" });
    });

    it("shows only this project's entries, and only to admins and owners", async () => {
      const all = await call(audit.GET, {
        params: alpha,
        as: w.users.owner.credential,
        query: { limit: "200" },
      });
      const projectIds = await w.db.auditLog.findMany({
        where: { id: { in: all.json.items.map((e: { id: string }) => e.id) } },
      });
      expect(new Set(projectIds.map((r) => r.projectId))).toEqual(new Set([w.projects.alpha.id]));
      expect((await call(audit.GET, { params: alpha, as: w.users.editor.credential })).status).toBe(403);
    });
  });

  it("serves the OpenAPI document publicly", async () => {
    const res = await call(openapi.GET);
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    expect(res.json.paths["/api/v1/projects/{project}/members/{userId}"].patch["x-strop-role"]).toBe("admin");
    expect(res.json.components.schemas.Error).toBeDefined();
  });
});
