// POST /api/v1/feedback/batch on both databases: up to 100 items written together, answers in order,
// keys replayed in the request and against earlier feedback counted once, a bad item a 400 naming its
// index and field, an unknown or foreign exposure refusing the whole request with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operatorProjectAccess } from "@/lib/auth/access";
import { recordExposure, SYSTEM_ACTOR } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import { changeProjectExperiment, createProjectExperiment } from "@/lib/services/experiments/manage";
import { pointLabel, seedTask, seedVersion } from "../../testing/serving-fixtures";
import * as single from "../route";
import * as batch from "./route";

describe.each(TEST_PROVIDERS)("POST /api/v1/feedback/batch on %s", (provider) => {
  let w: ApiWorld;
  const exposures: string[] = [];
  let foreignExposure: string;
  const viewer = (): Credential => ({ bearer: w.keys.alphaViewer });
  const send = (body: unknown, as: Credential = viewer()) => w.call(batch.POST, { as, body });

  async function exposuresIn(slug: "alpha" | "beta", count: number): Promise<string[]> {
    const access = await operatorProjectAccess(w.db, slug);
    const taskId = await seedTask(w.db, access.project.id, "support");
    const v1 = await seedVersion(w.db, taskId, { output: "Answer: {{ticket}}" });
    await seedVersion(w.db, taskId, { output: "Answer briefly: {{ticket}}" });
    await pointLabel(w.db, access.project.id, taskId, "production", v1);
    const created = await createProjectExperiment(
      w.db,
      access,
      {
        name: "Brief",
        task: "support",
        label: "production",
        mode: "fixed",
        variants: [
          { version: 1, weight: 1 },
          { version: 2, weight: 1 },
        ],
        metric: {
          source: "feedback",
          name: "thumbs_up",
          kind: "proportion",
          better: "higher",
          missing: "skip",
        },
        guardrails: [],
        alpha: 0.05,
        baseline: 0.5,
        minimumDetectableEffect: 0.2,
        maxDurationHours: 24,
      },
      SYSTEM_ACTOR,
    );
    await changeProjectExperiment(w.db, access, created.id, "started", SYSTEM_ACTOR);
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push((await recordExposure(w.db, created.id, `${slug}-${i}`, created.variants[i % 2]!.id)).id);
    return ids;
  }

  beforeAll(async () => {
    w = await createApiWorld(provider);
    exposures.push(...(await exposuresIn("alpha", 30)));
    [foreignExposure] = (await exposuresIn("beta", 1)) as [string];
  });
  afterAll(async () => {
    await w?.close();
  });

  it("writes the items together and answers each in order; keys count once", async () => {
    const earlier = await w.call(single.POST, {
      as: viewer(),
      body: { exposureId: exposures[0], name: "thumbs_up", value: true, idempotencyKey: "early" },
    });
    expect(earlier.status, earlier.text).toBe(201);
    const items = exposures.slice(0, 20).map((exposureId, i) => ({
      exposureId,
      name: "thumbs_up",
      value: i % 2 === 0,
      idempotencyKey: i === 0 ? "early" : i === 2 || i === 3 ? "twice" : `item-${i}`,
    }));
    const res = await send(items);
    expect(res.status, res.text).toBe(201);
    const answers = res.json.items as { id: string; exposureId: string; replayed: boolean }[];
    expect(answers.map((a) => a.exposureId)).toEqual(
      items.map((i) => i.exposureId).map((id, i) => (i === 3 ? exposures[2] : id)),
    );
    expect(answers[0]).toMatchObject({ id: earlier.json.id, replayed: true });
    expect(answers[3]).toMatchObject({ id: answers[2]?.id, replayed: true });
    expect(answers.filter((a) => a.replayed)).toHaveLength(2);
    expect(await w.db.feedback.count({ where: { projectId: w.projects.alpha.id } })).toBe(1 + 18);
    // The whole request again: every item is a replay, nothing new is stored.
    const again = await send(items);
    expect((again.json.items as { replayed: boolean }[]).every((a) => a.replayed)).toBe(true);
    expect(await w.db.feedback.count({ where: { projectId: w.projects.alpha.id } })).toBe(19);
  });

  it("refuses a bad item naming its index and field, and more than 100 items", async () => {
    const before = await w.db.feedback.count();
    const bad = await send([
      { exposureId: exposures[20], name: "thumbs_up", value: true },
      { exposureId: exposures[21], name: "", value: true },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/body\.1\.name/);
    expect(bad.json.error.details.issues[0]).toMatchObject({ in: "body", path: "1.name" });
    const many = await send(
      Array.from({ length: 101 }, () => ({ exposureId: exposures[20], name: "x", value: 1 })),
    );
    expect(many.status).toBe(400);
    expect((await send([])).status).toBe(400);
    expect(await w.db.feedback.count()).toBe(before);
  });

  it("refuses an unknown or foreign exposure naming the item, with nothing written; no key is a 401", async () => {
    const before = await w.db.feedback.count();
    const unknown = await send([
      { exposureId: exposures[22], name: "thumbs_up", value: true },
      { exposureId: "no-such", name: "thumbs_up", value: true },
    ]);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toBe('item 1: no exposure "no-such"');
    const foreign = await send([
      { exposureId: exposures[22], name: "thumbs_up", value: true },
      { exposureId: foreignExposure, name: "thumbs_up", value: true },
    ]);
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.message).toMatch(/^item 1: /);
    expect((await send([{ exposureId: exposures[22], name: "x", value: 1 }], null)).status).toBe(401);
    expect(await w.db.feedback.count()).toBe(before);
  });
});
