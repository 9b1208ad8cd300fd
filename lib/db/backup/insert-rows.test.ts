// Restore's raw inserts on real SQLite and PostgreSQL: every JSON value comes back as it went in (a JSON
// string or number too, and JSON null in a column that refuses NULL), dates and booleans as Prisma wrote
// them, and a field the database has no column for is refused by name.
import { describe, expect, it } from "vitest";
import { ensureProject } from "../projects";
import { TEST_PROVIDERS } from "../test-databases";
import { runFixture } from "../testing/repository-fixtures";
import { useTestDatabase } from "../testing/use-test-database";
import { insertRows, tableColumns } from "./insert-rows";

describe.each(TEST_PROVIDERS)("restore inserts on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });

  it("writes rows Prisma reads back unchanged", async () => {
    const { run } = await runFixture(fixture.db, (await ensureProject(fixture.db)).id, "inserts", "eval");
    const row = (key: string, metrics: unknown, cached: boolean) => ({
      id: `r-${key}`,
      runId: run.id,
      phase: "final/test/best",
      exampleKey: key,
      split: "test",
      output: key === "a" ? null : `it's "${key}" ✓`,
      error: null,
      score: 0.25,
      metrics,
      inputTokens: 3,
      outputTokens: 1,
      costUsd: 0.5,
      latencyMs: 12,
      cached,
    });
    const rows = [
      row("a", { exact: { score: 1, reason: "same" } }, true),
      row("b", "a JSON string", false),
      row("c", 5, false),
      row("d", null, false),
    ];
    await fixture.db.$transaction(async (tx) => {
      const columns = await tableColumns(tx, provider, "ExampleResult");
      expect(columns.get("metrics")).toEqual({ json: true, notNull: true });
      expect(columns.get("output")).toEqual({ json: false, notNull: false });
      await insertRows(tx, "ExampleResult", columns, rows);
    });
    const back = await fixture.db.exampleResult.findMany({
      where: { runId: run.id },
      orderBy: { exampleKey: "asc" },
    });
    expect(back).toEqual(rows);

    const auditColumns = await fixture.db.$transaction((tx) => tableColumns(tx, provider, "AuditLog"));
    expect(auditColumns.get("before")).toEqual({ json: true, notNull: false });
    expect(auditColumns.get("createdAt")?.json).toBe(false);
    await expect(
      fixture.db.$transaction((tx) => insertRows(tx, "ExampleResult", new Map(), [row("e", {}, false)])),
    ).rejects.toThrow(/ExampleResult rows have a field id this database has no column for/);
  });
});
