// Exposures recorded once per subject, on both databases, across processes: two database handles (as two
// app instances have) racing on the first exposure of the same subjects store one row each and answer
// the same winner; a subject another instance already exposed gets that exposure, not the variant it
// was about to be given.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedExperimentWorld, startedExperiment } from "@/lib/services/experiments/testing";
import { type Db, openDb } from "../client";
import { TEST_PROVIDERS } from "../test-databases";
import { useTestDatabase } from "../testing/use-test-database";
import { countExposures, findExposure, recordExposure } from "./exposures";

describe.each(TEST_PROVIDERS)("recordExposure on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let two: Db;
  let experimentId: string;
  let variants: [string, string];

  beforeAll(async () => {
    two = await openDb(fixture.database.url);
    const { access } = await seedExperimentWorld(fixture.db);
    experimentId = await startedExperiment(fixture.db, access);
    const rows = await fixture.db.experimentVariant.findMany({
      where: { experimentId },
      orderBy: { index: "asc" },
    });
    variants = [rows[0]!.id, rows[1]!.id];
  });
  afterAll(async () => {
    await two?.$disconnect();
  });

  it("stores a new subject's exposure and answers it again, unchanged, on a later call", async () => {
    const first = await recordExposure(fixture.db, experimentId, "alice", variants[1]);
    expect(first).toMatchObject({ variantId: variants[1], created: true });
    const again = await recordExposure(two, experimentId, "alice", variants[0]);
    expect(again).toEqual({ id: first.id, variantId: variants[1], created: false });
    expect(await findExposure(fixture.db, experimentId, "alice")).toEqual({
      id: first.id,
      variantId: variants[1],
    });
  });

  it("two instances racing on the same new subjects store one exposure each, both answering the winner", async () => {
    const subjects = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(
      subjects.flatMap((subject) => [
        recordExposure(fixture.db, experimentId, subject, variants[0]),
        recordExposure(two, experimentId, subject, variants[1]),
      ]),
    );
    for (let i = 0; i < subjects.length; i++) {
      const [a, b] = [answers[2 * i]!, answers[2 * i + 1]!];
      expect(a.id).toBe(b.id);
      expect(a.variantId).toBe(b.variantId);
      expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    }
    const rows = await fixture.db.exposure.count({
      where: { experimentId, subjectId: { startsWith: "race-" } },
    });
    expect(rows).toBe(subjects.length);
    const counts = await countExposures(fixture.db, experimentId);
    expect([...counts.values()].reduce((n, c) => n + c, 0)).toBe(subjects.length + 1);
  });
});
