// Datasets made from a file are named as the web names them ("reviews.csv" → "reviews"), and a CLI
// re-run finds the dataset an earlier release stored as "reviews.csv": renamed, not duplicated.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Db, ensureProject, findOrCreateDatasetVersion } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { datasetNameOfFile, taskFileDatasetNames } from "./dataset-names";
import { evaluateTaskFile } from "./runs/task-files";

describe("datasetNameOfFile", () => {
  it("drops the folder and the extension, as the upload form does", () => {
    expect(datasetNameOfFile("data/reviews.csv")).toBe("reviews");
    expect(datasetNameOfFile("C:\\data\\tickets.v2.jsonl")).toBe("tickets.v2");
    expect(datasetNameOfFile("rows")).toBe("rows");
    expect(datasetNameOfFile(".csv")).toBe(".csv");
    expect(datasetNameOfFile(`${"x".repeat(120)}.csv`)).toHaveLength(100);
    expect(taskFileDatasetNames("/tmp/reviews.csv")).toEqual({
      name: "reviews",
      formerNames: ["reviews.csv"],
    });
    expect(taskFileDatasetNames("rows")).toEqual({ name: "rows", formerNames: [] });
  });
});

const ROWS = "text,label\ngreat,positive\nawful,negative\nfine,neutral\nlovely,positive\nbad,negative\n";

describe.each(TEST_PROVIDERS)("the CLI's dataset names on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  const dir = mkdtempSync(path.join(tmpdir(), "strop-names-"));
  const taskFile = path.join(dir, "task.json");

  beforeAll(async () => {
    writeFileSync(path.join(dir, "reviews.csv"), ROWS);
    writeFileSync(
      taskFile,
      JSON.stringify({
        name: "reviews",
        prompt: { system: "Classify the review.", output: "Review: {{text}}" },
        dataset: { path: "reviews.csv", expected: "label" },
        models: { task: { id: "sim:default" }, optimizer: { id: "sim:default" } },
        metrics: [{ name: "exact_match" }],
      }),
    );
  });

  const datasets = async () =>
    (await fixture.db.dataset.findMany({ include: { versions: true }, orderBy: { createdAt: "asc" } })).map(
      (d) => ({
        name: d.name,
        versions: d.versions.length,
      }),
    );

  it("takes over the dataset an earlier release named after the whole file, without a duplicate", async () => {
    // What `strop eval` stored before this release: the same rows under "reviews.csv".
    const first = await evaluateTaskFile(taskFile, { db: fixture.db });
    const stored = await fixture.db.datasetVersion.findUniqueOrThrow({
      where: {
        id: (await fixture.db.optimizationRun.findUniqueOrThrow({ where: { id: first.runId } }))
          .datasetVersionId,
      },
    });
    await fixture.db.dataset.update({ where: { id: stored.datasetId }, data: { name: "reviews.csv" } });
    expect(await datasets()).toEqual([{ name: "reviews.csv", versions: 1 }]);

    const again = await evaluateTaskFile(taskFile, { db: fixture.db });
    expect(await datasets()).toEqual([{ name: "reviews", versions: 1 }]);
    const run = await fixture.db.optimizationRun.findUniqueOrThrow({ where: { id: again.runId } });
    expect(run.datasetVersionId).toBe(stored.id);
  }, 120_000);

  it("keeps a dataset already named as the web names it, and leaves a former look-alike alone", async () => {
    const { project, examples } = await seedLookAlikes(fixture.db);
    const result = await findOrCreateDatasetVersion(fixture.db, project.id, {
      name: "faq",
      formerNames: ["faq.csv"],
      sourceName: "faq.csv",
      expectedColumn: "label",
      columns: ["text", "label"],
      contentHash: "web-content",
      examples,
    });
    expect(result.created).toBe(false);
    const names = (await fixture.db.dataset.findMany({ where: { name: { startsWith: "faq" } } })).map(
      (d) => d.name,
    );
    expect(names.sort()).toEqual(["faq", "faq.csv"]);
  });
});

/** A project with "faq" (as the web made it) and "faq.csv" (as an earlier CLI made it). */
async function seedLookAlikes(db: Db) {
  const project = await ensureProject(db, "default");
  const examples = [{ key: "1", rowNumber: 1, input: { text: "hi" }, expected: "yes" }];
  const input = { sourceName: "faq.csv", expectedColumn: "label", columns: ["text", "label"], examples };
  await findOrCreateDatasetVersion(db, project.id, { ...input, name: "faq", contentHash: "web-content" });
  await findOrCreateDatasetVersion(db, project.id, { ...input, name: "faq.csv", contentHash: "cli-content" });
  return { project, examples };
}
