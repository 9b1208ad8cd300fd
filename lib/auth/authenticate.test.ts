// Request authentication: API keys (Bearer) and session cookies, against a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@/lib/core/errors";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { projectAccess, requireProjectRole } from "./access";
import { authenticateRequest } from "./authenticate";
import { createSessionToken, parseCookieHeader, SESSION_COOKIE, sessionTokenFromCookies } from "./session";

const request = (headers: Record<string, string>) => new Request("http://localhost/api/v1/me", { headers });

describe("authentication", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await createApiWorld("sqlite");
  });
  afterAll(async () => {
    await w?.close();
  });

  it("a valid key is its project's principal with the key's role; bad keys are 401s", async () => {
    const principal = await authenticateRequest(
      w.db,
      request({ authorization: `Bearer ${w.keys.alphaEditor}` }),
    );
    expect(principal).toMatchObject({ kind: "api_key", projectId: w.projects.alpha.id, role: "editor" });
    const tampered = `${w.keys.alphaEditor.slice(0, -1)}${w.keys.alphaEditor.endsWith("A") ? "B" : "A"}`;
    for (const authorization of [`Bearer ${tampered}`, "Bearer strop_x", "Token abc", "Bearer"]) {
      await expect(authenticateRequest(w.db, request({ authorization }))).rejects.toBeInstanceOf(
        UnauthorizedError,
      );
    }
  });

  it("a bad Authorization header does not fall back to a valid session cookie", async () => {
    const headers = { authorization: "Bearer nope", cookie: w.users.owner.credential.cookie };
    await expect(authenticateRequest(w.db, request(headers))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("session cookies: valid, chunked, expired, forged, or of a disabled user", async () => {
    expect(
      await authenticateRequest(w.db, request({ cookie: w.users.viewer.credential.cookie })),
    ).toMatchObject({
      kind: "user",
      email: "viewer@example.com",
    });
    const token = w.users.viewer.credential.cookie.split("=")[1]!;
    const chunked = `${SESSION_COOKIE}.0=${token.slice(0, 40)}; other=1; ${SESSION_COOKIE}.1=${token.slice(40)}`;
    expect(sessionTokenFromCookies(parseCookieHeader(chunked))).toBe(token);
    expect(await authenticateRequest(w.db, request({ cookie: chunked }))).toMatchObject({ kind: "user" });
    const expired = await createSessionToken(w.db, { id: w.users.viewer.id, email: "v", name: "v" }, -60);
    expect(await authenticateRequest(w.db, request({ cookie: `${SESSION_COOKIE}=${expired}` }))).toBeNull();
    expect(await authenticateRequest(w.db, request({}))).toBeNull();
    await w.db.user.update({ where: { id: w.users.viewer.id }, data: { disabledAt: new Date() } });
    expect(await authenticateRequest(w.db, request({ cookie: w.users.viewer.credential.cookie }))).toBeNull();
    await w.db.user.update({ where: { id: w.users.viewer.id }, data: { disabledAt: null } });
  });

  it("project access: members by role, keys only in their project, everyone else 404", async () => {
    expect((await projectAccess(w.db, w.users.viewer.principal, "alpha")).role).toBe("viewer");
    await expect(requireProjectRole(w.db, w.users.viewer.principal, "alpha", "editor")).rejects.toMatchObject(
      { status: 403 },
    );
    await expect(projectAccess(w.db, w.users.outsider.principal, "alpha")).rejects.toMatchObject({
      status: 404,
    });
    const key = await authenticateRequest(w.db, request({ authorization: `Bearer ${w.keys.betaAdmin}` }));
    await expect(projectAccess(w.db, key!, "alpha")).rejects.toMatchObject({ status: 404 });
    expect((await projectAccess(w.db, key!, "beta")).role).toBe("admin");
  });
});
