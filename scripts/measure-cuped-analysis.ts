// `npx tsx scripts/measure-cuped-analysis.ts [subjects] [sqlite,postgresql]`: the time of one experiment
// analysis with CUPED at scale (default 100,000 subjects) on fresh test databases (PostgreSQL at
// STROP_TEST_PG_URL, as the tests use). Each subject has a generation of the prompt three days before
// the start and, four in five of them, a rating on it; in the experiment each has its exposure and one
// rating. The rows are written by SQL (a recursive sequence), so seeding takes seconds; then, three
// times: the aggregate query alone (lib/db/experiments/pre-period.ts) and the whole analysis
// (computeAnalysis: the query, exposures, the statistics). Prints milliseconds and the load average.
import os from "node:os";
import { type Db, openDb } from "../lib/db/client";
import { getExperiment } from "../lib/db/experiments/experiments";
import { prePeriodSums } from "../lib/db/experiments/pre-period";
import { Prisma } from "../lib/db/generated/sqlite/client";
import { createTestDatabase } from "../lib/db/test-databases";
import { computeAnalysis } from "../lib/services/experiments/statistics";
import { seedExperimentWorld, startedExperiment } from "../lib/services/experiments/testing";

const SUBJECTS = Number(process.argv[2] ?? 100_000);
const PROVIDERS = (process.argv[3] ?? "sqlite,postgresql").split(",") as ("sqlite" | "postgresql")[];
const DAY = 86_400_000;

const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;

async function seed(db: Db) {
  const { access, versionIds } = await seedExperimentWorld(db);
  const id = await startedExperiment(db, access, {
    metric: { source: "feedback", name: "rating", kind: "mean", better: "higher", missing: "skip" },
    baseline: 3,
    minimumDetectableEffect: 0.3,
    standardDeviation: 1,
  });
  const record = await getExperiment(db, access.project.id, id);
  if (!record?.startedAt) throw new Error("the experiment did not start");
  const start = record.startedAt.getTime();
  const [control, treatment] = record.variants.map((v) => v.id);
  const projectId = access.project.id;
  const before = new Date(start - 3 * DAY);
  const seq = Prisma.sql`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${SUBJECTS - 1})`;
  await db.$executeRaw`${seq}
    INSERT INTO "Generation" ("id", "projectId", "taskId", "versionId", "model", "variables", "subjectId", "createdAt")
    SELECT 'g' || i, ${projectId}, ${record.taskId}, ${versionIds[0]}, 'sim:default', '{}', 's' || i, ${before} FROM seq`;
  await db.$executeRaw`${seq}
    INSERT INTO "Feedback" ("id", "projectId", "generationId", "name", "value", "source", "actorLabel", "createdAt")
    SELECT 'p' || i, ${projectId}, 'g' || i, 'rating', (i % 7) + 1, 'user', 'bench', ${before} FROM seq WHERE i % 5 <> 4`;
  await db.$executeRaw`${seq}
    INSERT INTO "Exposure" ("id", "experimentId", "variantId", "subjectId", "createdAt")
    SELECT 'e' || i, ${id}, CASE WHEN i % 2 = 0 THEN ${control} ELSE ${treatment} END, 's' || i, ${new Date(start + 1000)}
    FROM seq`;
  await db.$executeRaw`${seq}
    INSERT INTO "Feedback" ("id", "projectId", "exposureId", "experimentId", "name", "value", "source", "actorLabel", "createdAt")
    SELECT 'y' || i, ${projectId}, 'e' || i, ${id}, 'rating', (i % 7) + 1 + (i % 2) * 0.3 + (i % 3) * 0.5, 'user', 'bench',
      ${new Date(start + 2000)}
    FROM seq`;
  return record;
}

for (const provider of PROVIDERS) {
  const database = await createTestDatabase(provider);
  const db = await openDb(database.url);
  try {
    const seeding = performance.now();
    const record = await seed(db);
    console.log(`${provider}: ${SUBJECTS.toLocaleString("en")} subjects seeded in ${ms(seeding)}`);
    const start = record.startedAt as Date;
    for (let round = 1; round <= 3; round++) {
      const query = performance.now();
      await prePeriodSums(db, {
        experimentId: record.id,
        taskId: record.taskId,
        name: "rating",
        missing: "skip",
        from: new Date(start.getTime() - 28 * DAY),
        to: start,
      });
      const queryTime = ms(query);
      const analysis = performance.now();
      const { snapshot } = await computeAnalysis(db, record, `round-${round}`);
      console.log(
        `${provider} round ${round}: query ${queryTime}, analysis ${ms(analysis)} ` +
          `(CUPED ${snapshot.cuped?.applied ? "applied" : "not applied"}: ${snapshot.cuped?.reason}); ` +
          `load ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(" ")}`,
      );
    }
  } finally {
    await db.$disconnect();
    await database.drop();
  }
}
