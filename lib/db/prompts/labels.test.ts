// Label changes under concurrency, on real SQLite and PostgreSQL with several connections at once: many
// simultaneous moves (and rollbacks, protection changes) of one label never leave it on two versions or
// lose a history entry — every successful change has exactly one history row, the chain of from → to
// is unbroken, and the label ends where the last entry says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import {
  type AuditActor,
  createClient,
  createPromptVersion,
  type Db,
  ensureProject,
  type LabelScope,
  moveLabel,
  rollbackLabel,
  rollbackTarget,
  setLabelProtection,
  upsertTask,
} from "../index";
import { TEST_PROVIDERS } from "../test-databases";
import { useTestDatabase } from "../testing/use-test-database";

const actor: AuditActor = { type: "user", id: "racer", label: "racer@example.com" };
const VERSIONS = 24;
const CONNECTIONS = 6;

describe("rollbackTarget", () => {
  const e = (action: string, to: string | null) => ({ action, toVersionId: to });

  it("goes one forward move back per rollback, and nowhere after an add or a removal", () => {
    expect(rollbackTarget([e("added", "a")])).toBeNull();
    expect(rollbackTarget([e("added", "a"), e("moved", "b"), e("moved", "c")])).toBe("b");
    expect(rollbackTarget([e("added", "a"), e("moved", "b"), e("moved", "c"), e("rolled_back", "b")])).toBe(
      "a",
    );
    expect(
      rollbackTarget([e("added", "a"), e("moved", "b"), e("removed", null), e("added", "c")]),
    ).toBeNull();
    expect(
      rollbackTarget([e("added", "a"), e("moved", "b"), e("protected", "b"), e("unprotected", "b")]),
    ).toBe("a");
  });
});

describe.each(TEST_PROVIDERS)("label changes under concurrency on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  /** The fixture's client first, then more connections to the same database. */
  let clients: Db[];
  let scope: LabelScope;
  let versionIds: string[];

  beforeAll(async () => {
    const first = fixture.db;
    clients = [
      first,
      ...(await Promise.all(
        Array.from({ length: CONNECTIONS - 1 }, () => createClient(fixture.database.url)),
      )),
    ];
    const project = await ensureProject(first, "racing");
    const task = await upsertTask(first, project.id, { name: "race", description: "" });
    versionIds = [];
    for (let i = 0; i < VERSIONS; i++) {
      const version = await createPromptVersion(
        first,
        task.id,
        { systemPrompt: `v${i + 1}`, outputPrompt: "{{text}}", demos: [], params: {} },
        { source: "manual" },
      );
      versionIds.push(version.id);
    }
    scope = {
      projectId: project.id,
      organizationId: (await first.project.findUniqueOrThrow({ where: { id: project.id } })).organizationId,
      taskId: task.id,
      taskName: task.name,
    };
  }, 120_000);
  afterAll(async () => {
    await Promise.all((clients ?? []).slice(1).map((c) => c.$disconnect()));
  });

  /** The label's history oldest first, checked: an unbroken chain ending where the label is. */
  async function checkedHistory(label: string) {
    const db = clients[0]!;
    const events = await db.promptLabelEvent.findMany({
      where: { taskId: scope.taskId, label },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const times = events.map((event) => event.createdAt.getTime());
    expect(new Set(times).size, "history entries of a label are strictly ordered in time").toBe(times.length);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.fromVersionId, `entry ${i} starts where entry ${i - 1} ended`).toBe(
        events[i - 1]!.toVersionId,
      );
    }
    const rows = await db.promptLabel.findMany({ where: { taskId: scope.taskId, name: label } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.versionId).toBe(events.at(-1)!.toVersionId);
    const audited = await db.auditLog.count({
      where: { targetLabel: `race:${label}`, action: { startsWith: "prompt.label_" } },
    });
    expect(audited, "one audit entry per history entry").toBe(events.length);
    return events;
  }

  it("many simultaneous moves to different versions: each success is one history row of one chain", async () => {
    await moveLabel(clients[0]!, actor, scope, {
      label: "production",
      toVersionId: versionIds[0]!,
      reason: "",
      confirmVariableChange: false,
    });
    const outcomes = await Promise.allSettled(
      versionIds.slice(1).map((id, i) =>
        moveLabel(clients[i % CONNECTIONS]!, { ...actor, label: `racer-${i}` }, scope, {
          label: "production",
          toVersionId: id,
          reason: `move ${i}`,
          confirmVariableChange: false,
        }),
      ),
    );
    const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    // A move that lost every retry is a 409 to repeat; nothing else may fail.
    for (const failure of failures) expect(failure).toMatchObject({ status: 409 });
    expect(failures.length).toBeLessThan(outcomes.length / 2);
    const events = await checkedHistory("production");
    const moved = events.filter((e) => e.action === "moved");
    expect(moved).toHaveLength(outcomes.length - failures.length);
    const succeeded = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.event!.id] : []));
    expect(moved.map((e) => e.id).sort()).toEqual(succeeded.sort());
  }, 120_000);

  it("moves, rollbacks and protection changes racing each other keep one unbroken chain", async () => {
    await moveLabel(clients[0]!, actor, scope, {
      label: "staging",
      toVersionId: versionIds[0]!,
      reason: "",
      confirmVariableChange: false,
    });
    const operations = Array.from({ length: 36 }, (_, i) => {
      const db = clients[i % CONNECTIONS]!;
      if (i % 6 === 5)
        return setLabelProtection(db, actor, scope, {
          label: "staging",
          protected: i % 12 === 5,
          reason: "",
        });
      if (i % 3 === 2)
        return rollbackLabel(db, actor, scope, {
          label: "staging",
          reason: "",
          confirmVariableChange: false,
        });
      return moveLabel(db, actor, scope, {
        label: "staging",
        toVersionId: versionIds[(i * 7) % VERSIONS]!,
        reason: "",
        confirmVariableChange: false,
      });
    });
    const outcomes = await Promise.allSettled(operations);
    for (const outcome of outcomes) {
      // Refusals by the rules (protected, nothing to roll back to, lost retries) are 409s; nothing else.
      if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(AppError);
      if (outcome.status === "rejected") expect(outcome.reason.status).toBe(409);
    }
    const events = await checkedHistory("staging");
    const written = outcomes.flatMap((o) =>
      o.status === "fulfilled" && o.value.event ? [o.value.event.id] : [],
    );
    expect(
      events
        .slice(1)
        .map((e) => e.id)
        .sort(),
    ).toEqual(written.sort());
  }, 120_000);
});
