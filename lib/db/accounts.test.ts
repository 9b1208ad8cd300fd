// Accounts, memberships, API keys and the audit log against real SQLite and PostgreSQL: invariants hold
// in one transaction, also under concurrency.
import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import {
  type AuditActor,
  addMember,
  appendAudit,
  audited,
  changeMemberRole,
  createApiKey,
  createProject,
  createUserAccount,
  ensureProject,
  getMembershipRole,
  getOrCreateInstanceSecret,
  listApiKeys,
  listAuditEntries,
  listMembers,
  listProjectsForUser,
  openDb,
  removeMember,
  revokeApiKey,
  touchApiKey,
} from "./index";
import { createTestDatabase, TEST_PROVIDERS } from "./test-databases";
import { useTestDatabase } from "./testing/use-test-database";

const actor: AuditActor = { type: "system", id: null, label: "test", ip: "10.0.0.1", userAgent: "vitest" };
const allow = () => null;
const hash = "scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

describe.each(TEST_PROVIDERS)("accounts on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });

  async function user(email: string) {
    return fixture.db.user.create({ data: { email, passwordHash: hash } });
  }

  async function projectWithOwners(slug: string, owners: string[]) {
    const org = await fixture.db.organization.upsert({
      where: { slug: "test" },
      create: { slug: "test", name: "T" },
      update: {},
    });
    const p = await fixture.db.project.create({ data: { slug, name: slug, organizationId: org.id } });
    for (const email of owners) {
      const u = await user(`${slug}-${email}`);
      await fixture.db.membership.create({ data: { projectId: p.id, userId: u.id, role: "owner" } });
    }
    return { projectId: p.id, organizationId: org.id };
  }

  it("the CLI's default project lives in the default organization; the first user owns it", async () => {
    const cli = await ensureProject(fixture.db);
    const first = await createUserAccount(
      fixture.db,
      {
        user: { email: "first@example.com", passwordHash: hash },
        organization: { slug: "default", name: "Acme", rename: true },
        onlyIfNoUsers: true,
      },
      actor,
    );
    expect(first.ownerOf).toEqual([{ id: cli.id, slug: "default" }]);
    expect(first.organization).toMatchObject({ slug: "default", name: "Acme" });
    expect(await listProjectsForUser(fixture.db, first.user.id)).toEqual([
      expect.objectContaining({
        slug: "default",
        role: "owner",
        organization: expect.objectContaining({ slug: "default" }),
      }),
    ]);
    const entries = await fixture.db.auditLog.findMany({ where: { targetId: first.user.id } });
    expect(entries.map((e) => e.action).sort()).toEqual(["member.added", "user.created"]);
    expect(JSON.stringify(entries)).not.toContain("scrypt$");

    await expect(
      createUserAccount(
        fixture.db,
        {
          user: { email: "second@example.com", passwordHash: hash },
          organization: { slug: "default", name: "D" },
          onlyIfNoUsers: true,
        },
        actor,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await fixture.db.user.count({ where: { email: "second@example.com" } })).toBe(0);
  });

  it("a user for a new organization gets a project; existing owners keep theirs; emails are unique", async () => {
    const other = await createUserAccount(
      fixture.db,
      { user: { email: "o@example.com", passwordHash: hash }, organization: { slug: "default", name: "x" } },
      actor,
    );
    expect(other.ownerOf).toEqual([]);
    const fresh = await createUserAccount(
      fixture.db,
      { user: { email: "n@example.com", passwordHash: hash }, organization: { slug: "default", name: "x" } },
      actor,
    );
    expect(fresh.ownerOf).toEqual([]);
    const neworg = await createUserAccount(
      fixture.db,
      { user: { email: "z@example.com", passwordHash: hash }, organization: { slug: "zeta", name: "zeta" } },
      actor,
    );
    expect(neworg.ownerOf.map((p) => p.slug)).toEqual(["zeta"]);
    await expect(
      createUserAccount(
        fixture.db,
        {
          user: { email: "z@example.com", passwordHash: hash },
          organization: { slug: "zeta", name: "zeta" },
        },
        actor,
      ),
    ).rejects.toMatchObject({ status: 409, details: { issues: [{ path: "email" }] } });
  });

  it("concurrent first-run setups: exactly one wins", async () => {
    const t = await createTestDatabase(provider);
    const fresh = await openDb(t.url);
    try {
      const results = await Promise.allSettled(
        [1, 2, 3].map((i) =>
          createUserAccount(
            fresh,
            {
              user: { email: `s${i}@example.com`, passwordHash: hash },
              organization: { slug: "default", name: "D" },
              onlyIfNoUsers: true,
            },
            actor,
          ),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
      expect(await fresh.user.count()).toBe(1);
    } finally {
      await fresh.$disconnect();
      await t.drop();
    }
  });

  it("creates a project with its owner and audit entries in one transaction", async () => {
    const u = await user("creator@example.com");
    const org = await fixture.db.organization.create({ data: { slug: "creators", name: "C" } });
    const p = await createProject(
      fixture.db,
      { slug: "made", name: "Made", organization: { id: org.id }, ownerUserId: u.id },
      actor,
    );
    expect(await getMembershipRole(fixture.db, p.id, u.id)).toBe("owner");
    await expect(
      createProject(
        fixture.db,
        {
          slug: "made",
          name: "Again",
          organization: { create: { slug: "fresh-org", name: "F" } },
          ownerUserId: u.id,
        },
        actor,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await fixture.db.organization.count({ where: { slug: "fresh-org" } })).toBe(0);
    expect(await fixture.db.auditLog.count({ where: { projectId: p.id } })).toBe(2);
  });

  it("role changes and removals are audited; the last owner stays; checks run in the transaction", async () => {
    const scope = await projectWithOwners("roles", ["a"]);
    const owner = (await listMembers(fixture.db, scope.projectId))[0]!;
    const u = await user("member@example.com");
    await addMember(fixture.db, { ...scope, user: { id: u.id }, role: "viewer", check: allow }, actor);
    const changed = await changeMemberRole(
      fixture.db,
      { ...scope, userId: u.id, role: "editor", check: allow },
      actor,
    );
    expect(changed.role).toBe("editor");
    const entry = await fixture.db.auditLog.findFirst({
      where: { action: "member.role_changed", targetId: u.id },
    });
    expect(entry).toMatchObject({
      before: { role: "viewer" },
      after: { role: "editor" },
      projectId: scope.projectId,
      ip: "10.0.0.1",
    });

    await expect(
      changeMemberRole(fixture.db, { ...scope, userId: owner.userId, role: "admin", check: allow }, actor),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      removeMember(fixture.db, { ...scope, userId: owner.userId, check: allow }, actor),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await getMembershipRole(fixture.db, scope.projectId, owner.userId)).toBe("owner");
    const refuse = () => "no";
    await expect(
      removeMember(fixture.db, { ...scope, userId: u.id, check: refuse }, actor),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const before = await fixture.db.auditLog.count();
    await removeMember(fixture.db, { ...scope, userId: u.id, check: allow }, actor);
    expect(await getMembershipRole(fixture.db, scope.projectId, u.id)).toBeNull();
    expect(await fixture.db.auditLog.count()).toBe(before + 1);
  });

  it("two owners demoting each other at once: one demotion wins, an owner remains", async () => {
    const scope = await projectWithOwners("race", ["a", "b"]);
    const [a, b] = await listMembers(fixture.db, scope.projectId);
    const results = await Promise.allSettled([
      changeMemberRole(fixture.db, { ...scope, userId: a!.userId, role: "admin", check: allow }, actor),
      changeMemberRole(fixture.db, { ...scope, userId: b!.userId, role: "admin", check: allow }, actor),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await fixture.db.membership.count({ where: { projectId: scope.projectId, role: "owner" } })).toBe(
      1,
    );
    expect(
      await fixture.db.auditLog.count({
        where: { projectId: scope.projectId, action: "member.role_changed" },
      }),
    ).toBe(1);
  });

  it("a failing audit entry rolls the change back, and a failing change writes no entry", async () => {
    const u = await user("atomic@example.com");
    const count = await fixture.db.auditLog.count();
    // An entry without an action cannot be inserted: the audit insert fails after the change ran.
    await expect(
      audited(fixture.db, actor, async (tx) => {
        await tx.user.update({ where: { id: u.id }, data: { name: "changed" } });
        return { result: null, audit: { action: undefined as never } };
      }),
    ).rejects.toThrow();
    expect((await fixture.db.user.findUniqueOrThrow({ where: { id: u.id } })).name).toBe("");
    await expect(
      audited(fixture.db, actor, async (tx) => {
        await appendAudit(tx, actor, { action: "user.password_changed" });
        await tx.user.create({ data: { email: "atomic@example.com", passwordHash: hash } });
        return { result: null, audit: null };
      }),
    ).rejects.toThrow();
    expect(await fixture.db.auditLog.count()).toBe(count);
  });

  it("API keys: created and revoked with audit entries that hold no secret; last use is throttled", async () => {
    const scope = await projectWithOwners("keys", ["a"]);
    const key = await createApiKey(
      fixture.db,
      {
        ...scope,
        name: "ci",
        role: "editor",
        prefix: "strop_testtest",
        secretHash: "f".repeat(64),
        createdById: null,
      },
      actor,
    );
    expect(key).toMatchObject({
      prefix: "strop_testtest",
      role: "editor",
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(await listApiKeys(fixture.db, scope.projectId))).not.toContain("f".repeat(64));
    const t0 = new Date("2030-01-01T00:00:00Z");
    await touchApiKey(fixture.db, key.id, t0);
    await touchApiKey(fixture.db, key.id, new Date(t0.getTime() + 10_000));
    expect((await listApiKeys(fixture.db, scope.projectId))[0]!.lastUsedAt).toEqual(t0);
    await touchApiKey(fixture.db, key.id, new Date(t0.getTime() + 120_000));
    expect((await listApiKeys(fixture.db, scope.projectId))[0]!.lastUsedAt).toEqual(
      new Date(t0.getTime() + 120_000),
    );

    const other = await projectWithOwners("keys-other", ["a"]);
    await expect(revokeApiKey(fixture.db, { ...other, keyId: key.id }, actor)).rejects.toMatchObject({
      status: 404,
    });
    const revoked = await revokeApiKey(fixture.db, { ...scope, keyId: key.id }, actor);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await revokeApiKey(fixture.db, { ...scope, keyId: key.id }, actor);
    const entries = await fixture.db.auditLog.findMany({
      where: { targetId: key.id },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => e.action)).toEqual(["api_key.created", "api_key.revoked"]);
    expect(JSON.stringify(entries)).not.toContain("f".repeat(64));
  });

  it("pages the audit log newest first with a keyset cursor and filters by action", async () => {
    const scope = await projectWithOwners("paging", ["a"]);
    for (let i = 0; i < 7; i++) {
      await appendAudit(fixture.db, actor, {
        action: i % 2 ? "member.added" : "api_key.created",
        projectId: scope.projectId,
        targetLabel: `n${i}`,
      });
    }
    const seen: string[] = [];
    let cursor = null;
    do {
      const page: Awaited<ReturnType<typeof listAuditEntries>> = await listAuditEntries(fixture.db, {
        projectId: scope.projectId,
        cursor,
        limit: 3,
      });
      seen.push(...page.items.map((e) => e.targetLabel ?? ""));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(["n6", "n5", "n4", "n3", "n2", "n1", "n0"]);
    const members = await listAuditEntries(fixture.db, {
      projectId: scope.projectId,
      action: "member.",
      limit: 50,
    });
    expect(members.items.map((e) => e.targetLabel)).toEqual(["n5", "n3", "n1"]);
    const exact = await listAuditEntries(fixture.db, {
      projectId: scope.projectId,
      action: "api_key.created",
      limit: 50,
    });
    expect(exact.items).toHaveLength(4);
  });

  it("instance secrets are generated once", async () => {
    const values = await Promise.all(
      [1, 2, 3].map((i) => getOrCreateInstanceSecret(fixture.db, "test.secret", () => `v${i}`)),
    );
    expect(new Set(values).size).toBe(1);
    expect(await getOrCreateInstanceSecret(fixture.db, "test.secret", () => "other")).toBe(values[0]);
  });
});
