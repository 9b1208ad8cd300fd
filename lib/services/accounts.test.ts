// Sign-in, setup and CLI user creation on real databases.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { signInLimitSettings } from "@/lib/auth/limit-settings";
import { SignInLimiter } from "@/lib/auth/sign-in-limits";
import { ConflictError, InputError, RateLimitError } from "@/lib/core/errors";
import { MemoryFailureStore } from "@/lib/core/rate-limit";
import { ensureProject } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import {
  createUserFromCli,
  needsSetup,
  readPasswordFromStdin,
  setupFirstUser,
  signInWithPassword,
} from "./accounts";

const meta = { ip: "192.0.2.7", userAgent: "vitest" };
const PASSWORD = "a long enough password";

describe.each(TEST_PROVIDERS)("accounts service on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });

  it("setup creates the first owner of the CLI's default project, once", async () => {
    await ensureProject(fixture.db);
    expect(await needsSetup(fixture.db)).toBe(true);
    const result = await setupFirstUser(
      fixture.db,
      { email: "root@example.com", password: PASSWORD, organization: "Acme" },
      meta,
    );
    expect(result).toMatchObject({
      organization: { slug: "default", name: "Acme" },
      projects: [{ slug: "default" }],
    });
    expect(await needsSetup(fixture.db)).toBe(false);
    // The new owner is the actor of their own account and membership, from the setup request's address.
    const entries = await fixture.db.auditLog.findMany({
      where: { action: { in: ["user.created", "member.added"] } },
      orderBy: { action: "asc" },
    });
    expect(entries.map((e) => [e.action, e.actorType, e.actorId, e.actorLabel, e.ip])).toEqual([
      ["member.added", "user", result.user.id, "root@example.com", meta.ip],
      ["user.created", "user", result.user.id, "root@example.com", meta.ip],
    ]);
    await expect(
      setupFirstUser(fixture.db, { email: "x@example.com", password: PASSWORD }, meta),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("signs in with the right password only, auditing both without the password", async () => {
    const ok = await signInWithPassword(fixture.db, { email: " ROOT@example.com", password: PASSWORD }, meta);
    expect(ok).toMatchObject({ kind: "user", email: "root@example.com" });
    expect(
      await signInWithPassword(fixture.db, { email: "root@example.com", password: "wrong password!" }, meta),
    ).toBeNull();
    expect(
      await signInWithPassword(fixture.db, { email: "nobody@example.com", password: PASSWORD }, meta),
    ).toBeNull();
    expect(await signInWithPassword(fixture.db, { email: 42, password: null }, meta)).toBeNull();
    const rows = await fixture.db.auditLog.findMany({
      where: { action: { startsWith: "auth." } },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => [r.action, (r.after as { reason?: string } | null)?.reason ?? null])).toEqual([
      ["auth.sign_in", null],
      ["auth.sign_in_failed", "wrong_password"],
      ["auth.sign_in_failed", "unknown_email"],
    ]);
    expect(rows[0]).toMatchObject({ actorType: "user", ip: "192.0.2.7", userAgent: "vitest" });
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    const user = await fixture.db.user.findUniqueOrThrow({ where: { email: "root@example.com" } });
    expect(user.lastSignInAt).toBeInstanceOf(Date);
  });

  it("locks an account after 5 failures from any addresses, even for the right password, and audits it", async () => {
    await createUserFromCli(fixture.db, { email: "target@example.com", password: PASSWORD });
    const limiter = new SignInLimiter(new MemoryFailureStore(), signInLimitSettings({}));
    const attempt = (password: string, i: number) =>
      signInWithPassword(
        fixture.db,
        { email: "target@example.com", password },
        { ip: `198.51.100.${i}`, userAgent: null },
        limiter,
      );
    for (let i = 0; i < 6; i++) expect(await attempt(`guess number ${i}`, i)).toBeNull();
    const locked = await attempt(PASSWORD, 99).catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(RateLimitError);
    expect((locked as RateLimitError).retryAfterSeconds).toBe(30);
    const refused = await fixture.db.auditLog.findFirst({
      where: { action: "auth.sign_in_failed", targetLabel: "target@example.com" },
      orderBy: { createdAt: "desc" },
    });
    expect(refused).toMatchObject({ ip: "198.51.100.99", after: { reason: "rate_limited" } });
  });

  it("creates users from the CLI, validating input", async () => {
    const created = await createUserFromCli(fixture.db, {
      email: "Ops@Example.com",
      password: PASSWORD,
      org: "ops",
    });
    expect(created).toMatchObject({
      user: { email: "ops@example.com" },
      organization: { slug: "ops" },
      projects: [{ slug: "ops" }],
    });
    await expect(createUserFromCli(fixture.db, { email: "bad", password: PASSWORD })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      createUserFromCli(fixture.db, { email: "short@example.com", password: "short" }),
    ).rejects.toThrow(/at least 10/);
    await expect(
      createUserFromCli(fixture.db, { email: "ops@example.com", password: PASSWORD }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("reads the password from the first line of stdin", async () => {
    expect(await readPasswordFromStdin(Readable.from(["s3cret pass", "word\nignored\n"]))).toBe(
      "s3cret password",
    );
    await expect(readPasswordFromStdin(Readable.from(["\n"]))).rejects.toBeInstanceOf(InputError);
  });
});
