// Generations remember the subject a request names — with or without an experiment on the label — so a
// later experiment's CUPED finds each subject's feedback from before it started; without a subject, none.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { setActiveExperimentCache } from "../experiments/active-cache";
import { seedExperimentWorld, startedExperiment } from "../experiments/testing";
import { generateFromServedPrompt } from "./generate";

describe.each(TEST_PROVIDERS)("generate records the subject on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  beforeEach(() => setActiveExperimentCache());
  afterEach(() => setActiveExperimentCache());

  const stored = (id: string) =>
    fixture.db.generation.findUniqueOrThrow({ where: { id }, select: { subjectId: true, exposureId: true } });

  it("with and without an experiment running, and not when the request names none", async () => {
    const { access } = await seedExperimentWorld(fixture.db);
    const request = { variables: { ticket: "Where is my refund?" }, label: "production" };
    const before = await generateFromServedPrompt(fixture.db, access, "support", {
      ...request,
      subject: "user-1",
    });
    expect(before.experiment).toBeUndefined();
    expect(await stored(before.generationId)).toEqual({ subjectId: "user-1", exposureId: null });
    const anonymous = await generateFromServedPrompt(fixture.db, access, "support", request);
    expect(await stored(anonymous.generationId)).toEqual({ subjectId: null, exposureId: null });

    const experimentId = await startedExperiment(fixture.db, access);
    const during = await generateFromServedPrompt(fixture.db, access, "support", {
      ...request,
      subject: "user-1",
    });
    expect(during.experiment?.id).toBe(experimentId);
    expect(await stored(during.generationId)).toEqual({
      subjectId: "user-1",
      exposureId: during.experiment?.exposureId,
    });
    // By version: no experiment routing, the subject is still the caller's.
    const byVersion = await generateFromServedPrompt(fixture.db, access, "support", {
      variables: request.variables,
      version: 2,
      subject: "user-2",
    });
    expect(await stored(byVersion.generationId)).toEqual({ subjectId: "user-2", exposureId: null });
  });
});
