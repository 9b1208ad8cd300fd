// What the serving path reads and writes for experiments: the running experiment of a task's label
// (with its variants' versions), and a subject's exposure — recorded once, the first writer wins, and
// every later request of the subject reuses it (in bandit mode the weights move, the exposure does not).
import { randomUUID } from "node:crypto";
import type { Db } from "../client";

export interface ActiveExperiment {
  id: string;
  mode: "fixed" | "bandit";
  variants: {
    id: string;
    index: number;
    versionId: string;
    version: number;
    weight: number;
    banditWeight: number | null;
  }[];
}

/** The experiment running on `label` of the project's task `taskName`, or null. */
export async function findRunningExperiment(
  db: Db,
  projectId: string,
  taskName: string,
  label: string,
): Promise<ActiveExperiment | null> {
  const row = await db.experiment.findFirst({
    where: { projectId, label, status: "running", task: { name: taskName } },
    select: {
      id: true,
      mode: true,
      variants: {
        orderBy: { index: "asc" },
        select: {
          id: true,
          index: true,
          versionId: true,
          weight: true,
          banditWeight: true,
          version: { select: { version: true } },
        },
      },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    mode: row.mode === "bandit" ? "bandit" : "fixed",
    variants: row.variants.map(({ version, ...v }) => ({ ...v, version: version.version })),
  };
}

export interface ExposureRecord {
  id: string;
  variantId: string;
  /** True when this call stored it. */
  created: boolean;
}

/** The subject's exposure, or null. */
export async function findExposure(db: Db, experimentId: string, subjectId: string) {
  return db.exposure.findUnique({
    where: { experimentId_subjectId: { experimentId, subjectId } },
    select: { id: true, variantId: true },
  });
}

/**
 * Records the subject's exposure to `variantId` unless it has one: then that one is returned (a
 * concurrent first request of the same subject loses the race and reads the winner's). The insert goes
 * first and the unique index decides: the serving path calls this only for subjects its process has not
 * seen (assign.ts remembers the rest), mostly new ones, which then cost one statement instead of two.
 * Raw SQL, `ON CONFLICT DO NOTHING`: through Prisma's create the insert took ~540 µs of CPU on SQLite
 * (measured here), and a lost race threw and caught a unique violation.
 */
export async function recordExposure(
  db: Db,
  experimentId: string,
  subjectId: string,
  variantId: string,
): Promise<ExposureRecord> {
  const id = randomUUID();
  const inserted = await db.$executeRaw`
    INSERT INTO "Exposure" ("id", "experimentId", "variantId", "subjectId", "createdAt")
    VALUES (${id}, ${experimentId}, ${variantId}, ${subjectId}, ${new Date()})
    ON CONFLICT ("experimentId", "subjectId") DO NOTHING`;
  if (inserted === 1) return { id, variantId, created: true };
  const winner = await findExposure(db, experimentId, subjectId);
  if (!winner) throw new Error(`the exposure of subject ${subjectId} in experiment ${experimentId} vanished`);
  return { ...winner, created: false };
}

/** Exposures per variant id. */
export async function countExposures(db: Db, experimentId: string): Promise<Map<string, number>> {
  const groups = await db.exposure.groupBy({
    by: ["variantId"],
    where: { experimentId },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.variantId, g._count._all]));
}
