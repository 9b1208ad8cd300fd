// Generations and their feedback as the app reads them, on both databases: the list's filters (version,
// label, subject, experiment, feedback any/none/negative) and keyset pages, one generation with its
// feedback (another task's or project's is a 404), a reviewer's feedback (editors; a viewer is refused
// and audited), and a version's feedback summary (counts, mean, thumbs-up rate, categories, corrections).
import { beforeEach, describe, expect, it } from "vitest";
import type { ApiKeyPrincipal, ProjectAccess } from "@/lib/auth/principal";
import type { Role } from "@/lib/core/roles";
import {
  findGenerationTarget,
  type PageCursor,
  recordExposure,
  recordFeedback,
  SYSTEM_ACTOR,
  upsertTask,
} from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { seedExperimentWorld, startedExperiment } from "../experiments/testing";
import { getGenerationDetail, listTaskGenerations } from "./reads";
import { reviewGeneration } from "./review";
import { getVersionFeedback, getVersionFeedbackSummary } from "./version-feedback";

const T0 = Date.parse("2026-03-01T10:00:00Z");

describe.each(TEST_PROVIDERS)("generations and their feedback on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });
  let owner: ProjectAccess;
  let versionIds: string[];
  let taskId: string;
  let experimentId: string;
  let variantIds: string[];
  let minute = 0;

  const as = (role: Role): ProjectAccess => {
    const principal: ApiKeyPrincipal = {
      kind: "api_key",
      keyId: `key-${role}`,
      prefix: `strop_${role}`,
      name: role,
      projectId: owner.project.id,
      role: role === "viewer" ? "viewer" : "editor",
    };
    return { principal, project: owner.project, role };
  };

  /** A generation of `task` (default: support), one minute after the previous one. */
  async function generation(
    fields: {
      version?: number;
      label?: string | null;
      subject?: string;
      exposureId?: string;
      error?: string;
    },
    task = taskId,
    projectId = owner.project.id,
  ): Promise<string> {
    minute += 1;
    const row = await fixture.db.generation.create({
      data: {
        projectId,
        taskId: task,
        versionId: versionIds[(fields.version ?? 1) - 1]!,
        label: fields.label === undefined ? "production" : fields.label,
        model: "sim:default",
        variables: { ticket: `ticket ${minute}` },
        output: fields.error ? null : `answer ${minute} `.repeat(40),
        error: fields.error ?? null,
        inputTokens: 10,
        outputTokens: 5,
        costUsd: 0.001,
        latencyMs: 12.5,
        subjectId: fields.subject ?? null,
        exposureId: fields.exposureId ?? null,
        createdAt: new Date(T0 + minute * 60_000),
      },
      select: { id: true },
    });
    return row.id;
  }

  async function judge(
    generationId: string,
    name: string,
    value: number | null,
    extra: { category?: string; correction?: string } = {},
  ) {
    const target = (await findGenerationTarget(fixture.db, generationId))!;
    await recordFeedback(fixture.db, target, {
      name,
      value,
      category: extra.category ?? null,
      comment: null,
      correction: extra.correction ?? null,
      source: "user",
      idempotencyKey: null,
      actorLabel: "test",
    });
  }

  const ids = async (query: Parameters<typeof listTaskGenerations>[3]) =>
    (await listTaskGenerations(fixture.db, owner, "support", query)).items.map((g) => g.id);
  const all = { cursor: null, limit: 50 };

  beforeEach(async () => {
    ({ access: owner, versionIds } = await seedExperimentWorld(fixture.db));
    taskId = (
      await fixture.db.task.findFirstOrThrow({ where: { projectId: owner.project.id, name: "support" } })
    ).id;
    experimentId = await startedExperiment(fixture.db, owner);
    variantIds = (
      await fixture.db.experimentVariant.findMany({ where: { experimentId }, orderBy: { index: "asc" } })
    ).map((v) => v.id);
    minute = 0;
  });

  it("lists a task's generations newest first, page by page, filtered, with feedback counts", async () => {
    const exposure = await recordExposure(fixture.db, experimentId, "subject-b", variantIds[1]!);
    const g1 = await generation({ subject: "subject-a" });
    const g2 = await generation({ version: 2, label: null });
    const g3 = await generation({ version: 2, subject: "subject-b", exposureId: exposure.id });
    const g4 = await generation({ label: "staging", error: "the model refused" });
    const g5 = await generation({ subject: "subject-a" });
    await judge(g1, "thumbs_up", 1);
    await judge(g3, "thumbs_up", 0, { correction: "A better answer." });
    await judge(g3, "topic", null, { category: "billing" });
    await judge(g5, "score", -2);

    expect(await ids(all)).toEqual([g5, g4, g3, g2, g1]);
    const seen: string[] = [];
    let cursor: PageCursor | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const page = await listTaskGenerations(fixture.db, owner, "support", { cursor, limit: 2 });
      seen.push(...page.items.map((g) => g.id));
      cursor = page.next;
      if (!cursor) break;
    }
    expect(seen).toEqual([g5, g4, g3, g2, g1]);

    expect(await ids({ ...all, version: 2 })).toEqual([g3, g2]);
    expect(await ids({ ...all, version: 9 })).toEqual([]);
    expect(await ids({ ...all, label: "staging" })).toEqual([g4]);
    expect(await ids({ ...all, subject: "subject-a" })).toEqual([g5, g1]);
    expect(await ids({ ...all, experiment: experimentId })).toEqual([g3]);
    expect(await ids({ ...all, feedback: "any" })).toEqual([g5, g3, g1]);
    expect(await ids({ ...all, feedback: "none" })).toEqual([g4, g2]);
    expect(await ids({ ...all, feedback: "negative" })).toEqual([g5, g3]);
    expect(await ids({ ...all, feedback: "negative", version: 1 })).toEqual([g5]);

    const [item5, item4, item3] = (await listTaskGenerations(fixture.db, owner, "support", all)).items;
    expect(item3).toMatchObject({
      id: g3,
      version: 2,
      subjectId: "subject-b",
      experiment: { id: experimentId, name: "Thumbs", variant: 1, exposureId: exposure.id },
      feedbackCounts: { total: 2, negative: 1, corrections: 1 },
    });
    expect(item3!.outputPreview).toHaveLength(200);
    expect(item4).toMatchObject({ error: "the model refused", outputPreview: null, experiment: null });
    expect(item5!.feedbackCounts).toEqual({ total: 1, negative: 1, corrections: 0 });
  });

  it("reads one generation with its feedback; another task's or project's is not found", async () => {
    const g = await generation({ subject: "s-1" });
    await judge(g, "thumbs_up", 1);
    await judge(g, "thumbs_up", 0, { correction: "Shorter." });
    const detail = await getGenerationDetail(fixture.db, as("viewer"), "support", g);
    expect(detail).toMatchObject({
      id: g,
      version: 1,
      versionId: versionIds[0],
      variables: { ticket: "ticket 1" },
      subjectId: "s-1",
      latencyMs: 12.5,
      costUsd: 0.001,
      feedbackCounts: { total: 2, negative: 1, corrections: 1 },
    });
    expect(detail.output).toMatch(/^answer 1 /);
    expect(detail.feedback.map((f) => [f.value, f.correction])).toEqual([
      [0, "Shorter."],
      [1, null],
    ]);

    const billing = await upsertTask(fixture.db, owner.project.id, { name: "billing", description: "" });
    const ofBilling = await generation({}, billing.id);
    await expect(getGenerationDetail(fixture.db, owner, "support", ofBilling)).rejects.toMatchObject({
      status: 404,
    });
    const { access: other } = await seedExperimentWorld(fixture.db, { slug: "other" });
    const otherTask = await fixture.db.task.findFirstOrThrow({ where: { projectId: other.project.id } });
    const foreign = await generation({}, otherTask.id, other.project.id);
    await expect(getGenerationDetail(fixture.db, owner, "support", foreign)).rejects.toMatchObject({
      status: 404,
    });
    await expect(listTaskGenerations(fixture.db, owner, "nope", all)).rejects.toMatchObject({ status: 404 });
  });

  it("lets editors review a generation as reviewers; viewers are refused and audited", async () => {
    const g = await generation({});
    const review = {
      name: "thumbs_up",
      value: false,
      correction: "The right answer.",
      idempotencyKey: "r-1",
    };
    const first = await reviewGeneration(fixture.db, as("editor"), "support", g, review, SYSTEM_ACTOR);
    expect(first).toMatchObject({
      generationId: g,
      versionId: versionIds[0],
      source: "reviewer",
      value: 0,
      correction: "The right answer.",
      actorLabel: "strop_editor",
      replayed: false,
    });
    const replay = await reviewGeneration(fixture.db, as("editor"), "support", g, review, SYSTEM_ACTOR);
    expect(replay).toMatchObject({ id: first.id, replayed: true });
    expect((await getGenerationDetail(fixture.db, owner, "support", g)).feedbackCounts).toEqual({
      total: 1,
      negative: 1,
      corrections: 1,
    });

    await expect(
      reviewGeneration(
        fixture.db,
        as("viewer"),
        "support",
        g,
        { name: "thumbs_up", value: true },
        SYSTEM_ACTOR,
      ),
    ).rejects.toMatchObject({ status: 403 });
    expect(await fixture.db.auditLog.count({ where: { action: "access.refused", targetLabel: g } })).toBe(1);
    expect(await fixture.db.feedback.count()).toBe(1);

    const { access: other } = await seedExperimentWorld(fixture.db, { slug: "other" });
    const otherTask = await fixture.db.task.findFirstOrThrow({ where: { projectId: other.project.id } });
    const foreign = await generation({}, otherTask.id, other.project.id);
    await expect(
      reviewGeneration(fixture.db, as("editor"), "support", foreign, { name: "x", value: 1 }, SYSTEM_ACTOR),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("sums up a version's feedback per name and pages its newest feedback", async () => {
    const exposure = await recordExposure(fixture.db, experimentId, "subject-x", variantIds[0]!);
    const [a, b, c] = [await generation({}), await generation({}), await generation({})];
    await judge(a, "thumbs_up", 1);
    await judge(b, "thumbs_up", 1);
    await judge(c, "thumbs_up", 0, { correction: "Fixed." });
    // Feedback on an exposure counts for the variant's version too.
    const target = await findGenerationTarget(fixture.db, a);
    await recordFeedback(
      fixture.db,
      { ...target!, generationId: null, exposureId: exposure.id, experimentId },
      {
        name: "thumbs_up",
        value: 1,
        category: null,
        comment: null,
        correction: null,
        source: "user",
        idempotencyKey: null,
        actorLabel: "test",
      },
    );
    await judge(a, "score", 4);
    await judge(b, "score", 2, { correction: "Also fixed." });
    await judge(a, "topic", null, { category: "shipping" });
    await judge(b, "topic", null, { category: "billing" });
    await judge(c, "topic", null, { category: "billing" });
    await judge(await generation({ version: 2 }), "thumbs_up", 0);

    const summary = await getVersionFeedbackSummary(fixture.db, as("viewer"), "support", 1);
    expect(summary).toEqual({
      version: 1,
      versionId: versionIds[0],
      total: 9,
      corrections: 2,
      names: [
        {
          name: "thumbs_up",
          count: 4,
          numericCount: 4,
          mean: 0.75,
          positiveShare: 0.75,
          negative: 1,
          categories: [],
          corrections: 1,
        },
        {
          name: "topic",
          count: 3,
          numericCount: 0,
          mean: null,
          positiveShare: null,
          negative: 0,
          categories: [
            { category: "billing", count: 2 },
            { category: "shipping", count: 1 },
          ],
          corrections: 0,
        },
        {
          name: "score",
          count: 2,
          numericCount: 2,
          mean: 3,
          positiveShare: null,
          negative: 0,
          categories: [],
          corrections: 1,
        },
      ],
    });
    const first = await getVersionFeedback(fixture.db, owner, "support", 1, { cursor: null, limit: 5 });
    expect(first.page.items).toHaveLength(5);
    const rest = await getVersionFeedback(fixture.db, owner, "support", 1, {
      cursor: first.page.next,
      limit: 5,
    });
    expect(rest.page.items).toHaveLength(4);
    expect(rest.page.next).toBeNull();
    const seen = new Set([...first.page.items, ...rest.page.items].map((f) => f.id));
    expect(seen.size).toBe(9);
    await expect(getVersionFeedbackSummary(fixture.db, owner, "support", 7)).rejects.toMatchObject({
      status: 404,
    });
  });
});
