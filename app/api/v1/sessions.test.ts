// Sessions end on the server (sign-out, sign out everywhere, password change, role change, removal);
// API rate limits per key and per user; sign-in limits and the audit log see the real client address,
// not a spoofed X-Forwarded-For. On SQLite and PostgreSQL, through the route handlers and next-auth's
// own options.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { projectAccess } from "@/lib/auth/access";
import { createApiRateLimiter, setApiRateLimiter } from "@/lib/auth/api-rate-limit";
import { PEER_ADDRESS_HEADER, peerAddressStamp } from "@/lib/auth/client-address";
import { signInLimitSettings } from "@/lib/auth/limit-settings";
import { buildAuthOptions } from "@/lib/auth/next-auth";
import { createSessionToken, SESSION_COOKIE } from "@/lib/auth/session";
import { SignInLimiter, setSignInLimiter } from "@/lib/auth/sign-in-limits";
import { withSignInRefusal } from "@/lib/auth/sign-in-refusal";
import { MemoryFailureStore } from "@/lib/core/rate-limit";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld, PASSWORD } from "@/lib/http/testing";
import { signInWithPassword } from "@/lib/services/accounts";
import { addProjectMember } from "@/lib/services/members";
import { signOutUser } from "@/lib/services/sessions";
import * as password from "./me/password/route";
import * as me from "./me/route";
import * as revoke from "./me/sessions/revoke/route";
import * as member from "./projects/[project]/members/[userId]/route";

const from = (ip: string, forwardedFor?: string) => ({
  [PEER_ADDRESS_HEADER]: peerAddressStamp(ip),
  ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
});

const ALL = { sessions: "all" };

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<unknown>;

describe.each(TEST_PROVIDERS)("sessions, limits and client addresses on %s", (provider) => {
  let w: ApiWorld;
  let authorize: Authorize;
  let signOutEvent: (message: { token: Record<string, unknown> }) => Promise<void>;
  let n = 0;

  /** A new editor of alpha with a session cookie (each test revokes its own user's sessions). */
  async function freshUser() {
    const owner = await projectAccess(w.db, w.users.owner.principal, "alpha");
    const email = `user${++n}@example.com`;
    const m = await addProjectMember(
      w.db,
      owner,
      { email, role: "editor", password: PASSWORD },
      {
        type: "system",
        id: null,
        label: "test",
      },
    );
    return { id: m.userId, email, cookie: await cookieFor(m.userId, email) };
  }
  async function cookieFor(id: string, email: string) {
    const { sessionVersion } = await w.db.user.findUniqueOrThrow({ where: { id } });
    return {
      cookie: `${SESSION_COOKIE}=${await createSessionToken(w.db, { id, email, name: "", sessionVersion })}`,
    };
  }
  const meStatus = async (as: { cookie: string }) => (await w.call(me.GET, { as })).status;

  beforeAll(async () => {
    w = await createApiWorld(provider);
    const options = await buildAuthOptions(w.db, { signInWithPassword, signOutUser });
    authorize = (options.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
    signOutEvent = options.events!.signOut as never;
  });
  afterEach(() => {
    delete process.env.STROP_TRUSTED_PROXY_HOPS;
    setSignInLimiter();
    setApiRateLimiter(
      createApiRateLimiter({
        STROP_API_RATE_LIMIT_KEY_PER_MINUTE: "0",
        STROP_API_RATE_LIMIT_USER_PER_MINUTE: "0",
      }),
    );
  });
  afterAll(async () => {
    await w?.close();
  });

  describe("sessions end on the server", () => {
    it("after sign-out, on every device; a stale token's sign-out changes nothing", async () => {
      const user = await freshUser();
      const otherDevice = await cookieFor(user.id, user.email);
      expect(await meStatus(user.cookie)).toBe(200);
      await signOutEvent({ token: { sub: user.id, sv: 0 } });
      expect(await meStatus(user.cookie)).toBe(401);
      expect(await meStatus(otherDevice)).toBe(401);
      await signOutEvent({ token: { sub: user.id, sv: 0 } });
      const entries = await w.db.auditLog.findMany({ where: { action: "auth.sign_out", targetId: user.id } });
      expect(entries).toHaveLength(1);
      expect((await w.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    });

    it("after sign out everywhere (audited with the client address); API keys cannot call it", async () => {
      const user = await freshUser();
      const otherDevice = await cookieFor(user.id, user.email);
      const res = await w.call(revoke.POST, { as: user.cookie, body: ALL, headers: from("192.0.2.44") });
      expect(res.status).toBe(204);
      expect(await meStatus(user.cookie)).toBe(401);
      expect(await meStatus(otherDevice)).toBe(401);
      expect(await meStatus(await cookieFor(user.id, user.email))).toBe(200);
      const entry = await w.db.auditLog.findFirstOrThrow({
        where: { action: "auth.sessions_revoked", targetId: user.id },
      });
      expect(entry).toMatchObject({ actorId: user.id, ip: "192.0.2.44" });
      expect((await w.call(revoke.POST, { as: { bearer: w.keys.alphaAdmin }, body: ALL })).status).toBe(403);
      const bare = await w.call(revoke.POST, { as: (await freshUser()).cookie });
      expect(bare.status).toBe(400);
      expect((await w.call(me.GET, { as: { bearer: w.keys.alphaAdmin } })).status).toBe(200);
    });

    it("after a password change, which needs the current password and signs in with the new one only", async () => {
      const user = await freshUser();
      const change = (body: unknown) => w.call(password.POST, { as: user.cookie, body });
      const wrong = await change({ currentPassword: "not my password", newPassword: "a brand new password" });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error.details.issues).toEqual([expect.objectContaining({ path: "currentPassword" })]);
      const same = await change({ currentPassword: PASSWORD, newPassword: PASSWORD });
      expect(same.json.error.details.issues).toEqual([expect.objectContaining({ path: "newPassword" })]);
      const short = await change({ currentPassword: PASSWORD, newPassword: "short" });
      expect(short.json.error.details.issues).toEqual([expect.objectContaining({ path: "newPassword" })]);
      expect(await meStatus(user.cookie)).toBe(200);

      expect((await change({ currentPassword: PASSWORD, newPassword: "a brand new password" })).status).toBe(
        204,
      );
      expect(await meStatus(user.cookie)).toBe(401);
      setSignInLimiter(new SignInLimiter(new MemoryFailureStore(), signInLimitSettings({})));
      const headers = from("192.0.2.50");
      expect(await authorize({ email: user.email, password: PASSWORD }, { headers })).toBeNull();
      const signedIn = await authorize({ email: user.email, password: "a brand new password" }, { headers });
      expect(signedIn).toMatchObject({ id: user.id, sessionVersion: 1 });
      const audit = await w.db.auditLog.findMany({
        where: { action: "user.password_changed", targetId: user.id },
      });
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain("a brand new password");
    });

    it("after a role change and after removal from a project", async () => {
      const user = await freshUser();
      const params = { project: "alpha", userId: user.id };
      const owner = w.users.owner.credential;
      expect((await w.call(member.PATCH, { params, as: owner, body: { role: "viewer" } })).status).toBe(200);
      expect(await meStatus(user.cookie)).toBe(401);
      const afterRoleChange = await cookieFor(user.id, user.email);
      expect(await meStatus(afterRoleChange)).toBe(200);
      expect((await w.call(member.DELETE, { params, as: owner })).status).toBe(204);
      expect(await meStatus(afterRoleChange)).toBe(401);
    });
  });

  describe("API rate limits", () => {
    it("429 with Retry-After per API key; other keys and users are not charged", async () => {
      setApiRateLimiter(
        createApiRateLimiter({
          STROP_API_RATE_LIMIT_KEY_BURST: "3",
          STROP_API_RATE_LIMIT_KEY_PER_MINUTE: "60",
        }),
      );
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await w.call(me.GET, { as: { bearer: w.keys.alphaEditor } })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await w.call(me.GET, { as: { bearer: w.keys.alphaEditor } });
      expect(limited.headers.get("retry-after")).toBe("1");
      expect(limited.json.error).toMatchObject({ code: "rate_limited" });
      expect((await w.call(me.GET, { as: { bearer: w.keys.alphaViewer } })).status).toBe(200);
      expect((await w.call(me.GET, { as: w.users.viewer.credential })).status).toBe(200);
    });

    it("429 with Retry-After per signed-in user", async () => {
      setApiRateLimiter(
        createApiRateLimiter({
          STROP_API_RATE_LIMIT_USER_BURST: "2",
          STROP_API_RATE_LIMIT_USER_PER_MINUTE: "30",
        }),
      );
      const user = await freshUser();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await meStatus(user.cookie));
      expect(statuses).toEqual([200, 200, 429]);
      expect((await w.call(me.GET, { as: user.cookie })).headers.get("retry-after")).toBe("2");
      expect((await w.call(me.GET, { as: w.users.editor.credential })).status).toBe(200);
    });

    it("with the default settings, 200 back-to-back requests on one key hit the limit", async () => {
      setApiRateLimiter(createApiRateLimiter({}));
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++)
        statuses.push((await w.call(me.GET, { as: { bearer: w.keys.alphaAdmin } })).status);
      expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(50);
    });
  });

  describe("client address", () => {
    it("a spoofed X-Forwarded-For neither escapes the per-address sign-in limit nor reaches the audit log", async () => {
      setSignInLimiter(new SignInLimiter(new MemoryFailureStore(), signInLimitSettings({})));
      for (let i = 0; i < 21; i++) {
        const headers = from("203.0.113.30", `198.51.100.${i}`);
        expect(
          await authorize({ email: `nobody${i}@example.com`, password: "guess" }, { headers }),
        ).toBeNull();
      }
      const right = { email: w.users.viewer.email, password: PASSWORD };
      const refused = await withSignInRefusal(async () => {
        await expect(authorize(right, { headers: from("203.0.113.30", "198.51.100.250") })).rejects.toThrow(
          "RateLimited",
        );
        return Response.json({ url: "/sign-in?error=RateLimited" });
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("30");
      const logged = await w.db.auditLog.findMany({
        where: { action: "auth.sign_in_failed", targetLabel: { startsWith: "nobody" } },
      });
      expect(new Set(logged.map((e) => e.ip))).toEqual(new Set(["203.0.113.30"]));
      // Another address is not locked.
      expect(await authorize(right, { headers: from("203.0.113.31") })).toMatchObject({ email: right.email });
    });

    it("honours X-Forwarded-For from the configured number of trusted proxies", async () => {
      process.env.STROP_TRUSTED_PROXY_HOPS = "1";
      setSignInLimiter(new SignInLimiter(new MemoryFailureStore(), signInLimitSettings({})));
      for (let i = 0; i < 21; i++) {
        const headers = from("10.0.0.2", `6.6.6.6, 198.51.100.${i}`);
        expect(
          await authorize({ email: `proxied${i}@example.com`, password: "guess" }, { headers }),
        ).toBeNull();
      }
      const right = { email: w.users.viewer.email, password: PASSWORD };
      expect(await authorize(right, { headers: from("10.0.0.2", "198.51.100.77") })).toMatchObject({
        email: right.email,
      });
      const user = await freshUser();
      await w.call(revoke.POST, {
        as: user.cookie,
        body: ALL,
        headers: from("10.0.0.2", "6.6.6.6, 192.0.2.99"),
      });
      const entry = await w.db.auditLog.findFirstOrThrow({
        where: { action: "auth.sessions_revoked", targetId: user.id },
      });
      expect(entry.ip).toBe("192.0.2.99");
    });

    it("locks an account after repeated failures from many addresses, the right password too", async () => {
      setSignInLimiter(new SignInLimiter(new MemoryFailureStore(), signInLimitSettings({})));
      const user = await freshUser();
      for (let i = 0; i < 6; i++) {
        expect(
          await authorize({ email: user.email, password: `guess ${i}` }, { headers: from(`192.0.2.${i}`) }),
        ).toBeNull();
      }
      await expect(
        authorize({ email: user.email, password: PASSWORD }, { headers: from("198.51.100.200") }),
      ).rejects.toThrow("RateLimited");
    });
  });
});
