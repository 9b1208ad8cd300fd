// Test support for route handlers: a real database (SQLite or PostgreSQL) behind getDb(), a small world
// of users, projects and keys, and `call()` to invoke an exported handler with `new Request(...)`.

import { projectAccess } from "@/lib/auth/access";
import { createApiRateLimiter, setApiRateLimiter } from "@/lib/auth/api-rate-limit";
import type { UserPrincipal } from "@/lib/auth/principal";
import { createSessionToken, SESSION_COOKIE } from "@/lib/auth/session";
import { closeDb, type Db, getDb, type ProjectRecord } from "@/lib/db";
import type { DbProvider } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { createUserFromCli, setupFirstUser } from "@/lib/services/accounts";
import { createProjectApiKey } from "@/lib/services/api-keys";
import { addProjectMember } from "@/lib/services/members";
import { createProjectForUser } from "@/lib/services/projects";
import type { RouteHandler } from "./define-route";

export type Credential = { cookie: string } | { bearer: string } | null;

export interface WorldUser {
  id: string;
  email: string;
  password: string;
  principal: UserPrincipal;
  credential: { cookie: string };
}

export interface ApiWorld {
  provider: DbProvider;
  db: Db;
  /** alpha: owner, admin, editor, viewer members. beta: outsider is its owner. */
  users: Record<"owner" | "admin" | "editor" | "viewer" | "outsider", WorldUser>;
  projects: { alpha: ProjectRecord; beta: ProjectRecord };
  /** Secrets of API keys: alpha's viewer/editor/admin keys and beta's admin key. */
  keys: Record<"alphaViewer" | "alphaEditor" | "alphaAdmin" | "betaAdmin", string>;
  call(handler: RouteHandler, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  as?: Credential;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Raw body text (sent as is, with `contentType`). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  json: any;
}

export const PASSWORD = "correct horse battery staple";

/** A session cookie for `user` at their current session version (a new sign-in, in effect). */
export async function sessionCredential(
  db: Db,
  user: { id: string; email: string; name?: string },
): Promise<{ cookie: string }> {
  const { sessionVersion } = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { sessionVersion: true },
  });
  const token = await createSessionToken(db, { ...user, name: user.name ?? "", sessionVersion });
  return { cookie: `${SESSION_COOKIE}=${token}` };
}

export async function invoke(handler: RouteHandler, options: CallOptions = {}): Promise<CallResult> {
  const { method, path } = handler.operation;
  const params = options.params ?? {};
  const url = new URL(
    path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? "")),
    "http://localhost",
  );
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(options.headers);
  if (options.as && "cookie" in options.as) headers.set("cookie", options.as.cookie);
  if (options.as && "bearer" in options.as) headers.set("authorization", `Bearer ${options.as.bearer}`);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers.set("content-type", options.contentType ?? "application/json");
  const request = new Request(url, { method, headers, body });
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

/** A fresh database behind getDb() with the world above. Call `close()` in afterAll. */
export async function createApiWorld(provider: DbProvider): Promise<ApiWorld> {
  await closeDb();
  const database: TestDatabase = await createTestDatabase(provider);
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET = "test-secret-for-route-tests-0123456789";
  // No API rate limits unless a test installs its own (setApiRateLimiter): the walker and fuzzers call
  // hundreds of operations with one credential.
  setApiRateLimiter(
    createApiRateLimiter({
      STROP_API_RATE_LIMIT_KEY_PER_MINUTE: "0",
      STROP_API_RATE_LIMIT_USER_PER_MINUTE: "0",
    }),
  );
  const db = await getDb();
  const meta = { ip: "127.0.0.1", userAgent: "vitest" };

  const makeUser = async (principal: UserPrincipal): Promise<WorldUser> => ({
    id: principal.userId,
    email: principal.email,
    password: PASSWORD,
    principal,
    credential: await sessionCredential(db, {
      id: principal.userId,
      email: principal.email,
      name: principal.name,
    }),
  });
  const setup = await setupFirstUser(
    db,
    { email: "owner@example.com", password: PASSWORD, name: "Owner" },
    meta,
  );
  const ownerPrincipal: UserPrincipal = {
    kind: "user",
    userId: setup.user.id,
    email: setup.user.email,
    name: "Owner",
  };
  const ownerActor = { type: "user" as const, id: setup.user.id, label: setup.user.email, ...meta };
  await createProjectForUser(db, ownerPrincipal, { slug: "alpha", name: "Alpha" }, ownerActor);
  const alphaAccess = await projectAccess(db, ownerPrincipal, "alpha");
  const member = async (role: "admin" | "editor" | "viewer") => {
    const m = await addProjectMember(
      db,
      alphaAccess,
      { email: `${role}@example.com`, role, password: PASSWORD, name: role },
      ownerActor,
    );
    return makeUser({ kind: "user", userId: m.userId, email: m.email, name: m.name });
  };
  const [admin, editor, viewer] = [await member("admin"), await member("editor"), await member("viewer")];

  // The outsider owns beta, created through the same path as a second organization's first user.
  const outsiderAccount = await createUserFromCli(db, {
    email: "outsider@example.com",
    password: PASSWORD,
    name: "Outsider",
    org: "beta",
  });
  const outsider = await makeUser({
    kind: "user",
    userId: outsiderAccount.user.id,
    email: outsiderAccount.user.email,
    name: "Outsider",
  });
  const betaAccess = await projectAccess(db, outsider.principal, "beta");
  const key = async (access: typeof alphaAccess, role: "viewer" | "editor" | "admin") =>
    (await createProjectApiKey(db, access, { name: `${role} key`, role }, ownerActor)).secret;

  return {
    provider,
    db,
    users: { owner: await makeUser(ownerPrincipal), admin, editor, viewer, outsider },
    projects: { alpha: alphaAccess.project, beta: betaAccess.project },
    keys: {
      alphaViewer: await key(alphaAccess, "viewer"),
      alphaEditor: await key(alphaAccess, "editor"),
      alphaAdmin: await key(alphaAccess, "admin"),
      betaAdmin: await key(betaAccess, "admin"),
    },
    call: invoke,
    close: async () => {
      setApiRateLimiter();
      await closeDb();
      await database.drop();
      delete process.env.DATABASE_URL;
    },
  };
}
