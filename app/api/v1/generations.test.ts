// The generations API on both databases: generate with a key, send feedback, then read the task's
// generations (filters, pages), one generation with its feedback, a reviewer's feedback (editors only),
// and the version's feedback summary; bad queries are 400s naming the field; another task's generation
// is a 404. (Every role of every operation is checked by authorization.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import * as feedback from "./feedback/route";
import * as generate from "./projects/[project]/prompts/[task]/generate/route";
import * as review from "./projects/[project]/prompts/[task]/generations/[generation]/feedback/route";
import * as generation from "./projects/[project]/prompts/[task]/generations/[generation]/route";
import * as generations from "./projects/[project]/prompts/[task]/generations/route";
import * as versionFeedback from "./projects/[project]/prompts/[task]/versions/[version]/feedback/route";
import { pointLabel, seedTask, seedVersion } from "./testing/serving-fixtures";

describe.each(TEST_PROVIDERS)("generations API on %s", (provider) => {
  let w: ApiWorld;
  const params = { project: "alpha", task: "support" };
  const viewer = (): Credential => ({ bearer: w.keys.alphaViewer });
  const editor = (): Credential => ({ bearer: w.keys.alphaEditor });
  const generated: string[] = [];

  beforeAll(async () => {
    w = await createApiWorld(provider);
    const taskId = await seedTask(w.db, w.projects.alpha.id, "support");
    const v1 = await seedVersion(w.db, taskId, { output: "Answer: {{ticket}}" });
    await seedVersion(w.db, taskId, { output: "Answer briefly: {{ticket}}" });
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", v1);
    await seedTask(w.db, w.projects.alpha.id, "billing");
    for (const [i, body] of [
      { variables: { ticket: "late order" } },
      { variables: { ticket: "refund" }, version: 2 },
      { variables: { ticket: "lost parcel" }, subject: "user-1" },
    ].entries()) {
      const res = await w.call(generate.POST, { params, as: editor(), body });
      expect(res.status, `${i}: ${res.text}`).toBe(200);
      generated.push(res.json.generationId);
    }
    const sent = await w.call(feedback.POST, {
      as: editor(),
      body: { generationId: generated[0], name: "thumbs_up", value: false, comment: "too long" },
    });
    expect(sent.status, sent.text).toBe(201);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("lists the task's generations for a viewer, filtered and paged", async () => {
    const list = (query: Record<string, string> = {}) =>
      w.call(generations.GET, { params, as: viewer(), query });
    const everything = await list();
    expect(everything.status, everything.text).toBe(200);
    expect(everything.json.items.map((g: { id: string }) => g.id)).toEqual([...generated].reverse());
    expect(everything.json.items[2]).toMatchObject({
      version: 1,
      label: "production",
      model: "sim:default",
      cached: false,
      error: null,
      experiment: null,
      feedbackCounts: { total: 1, negative: 1, corrections: 0 },
    });
    expect(typeof everything.json.items[2].createdAt).toBe("string");
    const byVersion = await list({ version: "2" });
    expect(byVersion.json.items.map((g: { id: string }) => g.id)).toEqual([generated[1]]);
    expect(byVersion.json.items[0].label).toBeNull();
    expect((await list({ feedback: "negative" })).json.items).toHaveLength(1);
    expect((await list({ feedback: "none" })).json.items).toHaveLength(2);
    const first = await list({ limit: "2" });
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await list({ limit: "2", cursor: first.json.nextCursor });
    expect(second.json.items.map((g: { id: string }) => g.id)).toEqual([generated[0]]);
    expect(second.json.nextCursor).toBeNull();
  });

  it("refuses bad queries naming the field", async () => {
    for (const [query, field] of [
      [{ feedback: "bad" }, "feedback"],
      [{ version: "two" }, "version"],
      [{ limit: "0" }, "limit"],
      [{ cursor: "not-a-cursor" }, "cursor"],
    ] as const) {
      const res = await w.call(generations.GET, { params, as: viewer(), query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.json.error.details.issues[0]).toMatchObject({ in: "query", path: field });
    }
    const res = await w.call(versionFeedback.GET, {
      params: { ...params, version: "1" },
      as: viewer(),
      query: { limit: "1000" },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues[0]).toMatchObject({ in: "query", path: "limit" });
  });

  it("shows one generation with its feedback; another task's is a 404", async () => {
    const res = await w.call(generation.GET, {
      params: { ...params, generation: generated[0]! },
      as: viewer(),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id: generated[0],
      variables: { ticket: "late order" },
      feedback: [{ name: "thumbs_up", value: 0, comment: "too long", source: "user" }],
    });
    expect(res.json.output).toEqual(expect.any(String));
    const foreign = await w.call(generation.GET, {
      params: { ...params, task: "billing", generation: generated[0]! },
      as: viewer(),
    });
    expect(foreign.status).toBe(404);
    const unknown = await w.call(generation.GET, { params: { ...params, generation: "nope" }, as: viewer() });
    expect(unknown.status).toBe(404);
  });

  it("takes a review from an editor, refuses a viewer, and sums it into the version's feedback", async () => {
    const path = { ...params, generation: generated[2]! };
    const body = {
      name: "thumbs_up",
      value: false,
      correction: "Sorry, we are finding it.",
      comment: "wrong",
    };
    const refused = await w.call(review.POST, { params: path, as: viewer(), body });
    expect(refused.status).toBe(403);
    const badBody = await w.call(review.POST, {
      params: path,
      as: editor(),
      body: { ...body, source: "user" },
    });
    expect(badBody.status).toBe(400);
    const sent = await w.call(review.POST, { params: path, as: w.users.editor.credential, body });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json).toMatchObject({ source: "reviewer", actorLabel: "editor@example.com", value: 0 });
    const summary = await w.call(versionFeedback.GET, { params: { ...params, version: "1" }, as: viewer() });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json).toMatchObject({
      version: 1,
      total: 2,
      corrections: 1,
      names: [{ name: "thumbs_up", count: 2, positiveShare: 0, negative: 2, corrections: 1 }],
      nextCursor: null,
    });
    expect(summary.json.items.map((f: { source: string }) => f.source)).toEqual(["reviewer", "user"]);
    const missing = await w.call(versionFeedback.GET, { params: { ...params, version: "9" }, as: viewer() });
    expect(missing.status).toBe(404);
  });
});
