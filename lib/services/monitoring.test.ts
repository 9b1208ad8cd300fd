// The monitoring dashboard's reads on both databases: calls from served generations, runs' results and
// batch rows, bucketed by hour or day, split by model or provider, with p50/p95 latency of the calls that
// reached the provider, cache hits and errors; job counts and the latest failures; other projects and
// calls outside the range left out; admins only.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ensureProject, getProjectById } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { runFixture } from "@/lib/db/testing/repository-fixtures";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { bucketStarts, projectMonitoring } from "./monitoring";

const NOW = new Date("2026-03-10T12:30:00.000Z");
const at = (hhmm: string, day = "2026-03-10") => new Date(`${day}T${hhmm}:00.000Z`);
const GPT = "openai:gpt-4o-mini";

describe.each(TEST_PROVIDERS)("project monitoring on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let admin: ProjectAccess;

  const accessTo = async (slug: string, role: ProjectAccess["role"]): Promise<ProjectAccess> => {
    const ref = await ensureProject(fixture.db, slug);
    return {
      principal: { kind: "user", userId: "u", email: "u@example.com", name: "" },
      project: (await getProjectById(fixture.db, ref.id))!,
      role,
    };
  };

  beforeAll(async () => {
    admin = await accessTo("watched", "admin");
    const other = await accessTo("other", "admin");
    const { task, version, run } = await runFixture(fixture.db, admin.project.id, "sentiment");
    const generation = (
      createdAt: Date,
      latencyMs: number,
      extra: object = {},
      projectId = admin.project.id,
    ) => ({
      projectId,
      taskId: task.id,
      versionId: version.id,
      model: GPT,
      variables: {},
      output: "ok",
      inputTokens: 10,
      outputTokens: 2,
      costUsd: 0.01,
      latencyMs,
      createdAt,
      ...extra,
    });
    await fixture.db.generation.createMany({
      data: [
        generation(at("10:05"), 100),
        generation(at("10:20"), 200),
        generation(at("10:40"), 0, { cached: true, costUsd: 0 }),
        generation(at("11:10"), 5, { error: "provider answered 500", output: null, costUsd: 0 }),
        generation(at("10:00", "2026-03-07"), 900), // three days ago: in 7 days, not in 24 hours
        generation(at("10:10"), 700, {}, other.project.id), // another project
      ],
    });
    // A run (task model sim:default) started at 11:15 with five results, one failed.
    await fixture.db.optimizationRun.update({
      where: { id: run.id },
      data: { status: "succeeded", startedAt: at("11:15"), finishedAt: at("11:20") },
    });
    await fixture.db.exampleResult.createMany({
      data: [10, 20, 30, 40, 1].map((latencyMs, i) => ({
        runId: run.id,
        phase: "iter-1/train/baseline",
        exampleKey: `ex-${i}`,
        split: "train",
        output: i === 4 ? null : "positive",
        error: i === 4 ? "timeout" : null,
        score: 1,
        metrics: {},
        inputTokens: 5,
        outputTokens: 1,
        costUsd: 0.001,
        latencyMs,
        cached: false,
      })),
    });
    // A batch on GPT started at 11:30: two finished rows, one not yet.
    const batch = await fixture.db.batchJob.create({
      data: {
        projectId: admin.project.id,
        taskId: task.id,
        promptVersionId: version.id,
        source: "file",
        sourceName: "rows.csv",
        model: { id: GPT, schemaVersion: 1 },
        cache: { enabled: false, ttlSeconds: 60, schemaVersion: 1 },
        chunkSize: 10,
        malformedPolicy: "skip",
        columns: ["text"],
        status: "failed",
        error: "the provider refused the key",
        failedStep: "chunk-1",
        createdAt: at("11:29"),
        startedAt: at("11:30"),
        finishedAt: at("11:40"),
      },
    });
    await fixture.db.batchRow.createMany({
      data: [50, 60, 0].map((latencyMs, i) => ({
        batchId: batch.id,
        rowNumber: i + 1,
        key: String(i + 1),
        input: { text: "x" },
        output: i < 2 ? "y" : null,
        latencyMs,
        costUsd: i < 2 ? 0.002 : 0,
        done: i < 2,
      })),
    });
    const failed = await runFixture(fixture.db, admin.project.id, "intent");
    await fixture.db.optimizationRun.update({
      where: { id: failed.run.id },
      data: {
        status: "failed",
        failedStep: "iter-2/optimizer",
        error: "optimizer answered no JSON",
        finishedAt: at("12:00"),
      },
    });
    await runFixture(fixture.db, admin.project.id, "queued-one"); // stays queued
    await runFixture(fixture.db, other.project.id, "elsewhere"); // another project's queued run
  });

  it("buckets calls by hour per model, with latency percentiles, hits and errors", async () => {
    const view = await projectMonitoring(fixture.db, admin, { range: "24h", split: "model", now: NOW });
    expect(view.buckets).toHaveLength(24);
    expect(view.buckets.at(-1)).toBe("2026-03-10T12:00:00.000Z");
    expect(view.series).toEqual(["openai:gpt-4o-mini", "sim:default"]);
    const usage = (bucket: string, series: string) =>
      view.usage.find((p) => p.bucket === `2026-03-10T${bucket}:00:00.000Z` && p.series === series);
    expect(usage("10", GPT)).toMatchObject({ calls: 3, errors: 0, cacheHits: 1, inputTokens: 30 });
    expect(usage("10", GPT)?.costUsd).toBeCloseTo(0.02, 10);
    expect(usage("11", GPT)).toMatchObject({ calls: 3, errors: 1, cacheHits: 0 });
    expect(usage("11", "sim:default")).toMatchObject({ calls: 5, errors: 1, inputTokens: 25 });
    expect(view.usage).toHaveLength(3);
    const latency = (bucket: string, series: string) =>
      view.latency.find((p) => p.bucket === `2026-03-10T${bucket}:00:00.000Z` && p.series === series);
    expect(latency("10", GPT)).toEqual(expect.objectContaining({ count: 2, p50: 100, p95: 200 }));
    expect(latency("11", GPT)).toEqual(expect.objectContaining({ count: 2, p50: 50, p95: 60 }));
    expect(latency("11", "sim:default")).toEqual(expect.objectContaining({ count: 4, p50: 20, p95: 40 }));
    expect(view.totals).toMatchObject({ calls: 11, errors: 2, cacheHits: 1 });
  });

  it("splits by provider and widens to days", async () => {
    const byProvider = await projectMonitoring(fixture.db, admin, {
      range: "24h",
      split: "provider",
      now: NOW,
    });
    expect(byProvider.series).toEqual(["openai", "sim"]); // busiest first: 6 calls, then 5
    const week = await projectMonitoring(fixture.db, admin, { range: "7d", split: "provider", now: NOW });
    expect(week.buckets).toEqual(bucketStarts(new Date("2026-03-04T12:30:00Z"), NOW, "day"));
    expect(week.buckets).toHaveLength(7);
    const openai = week.usage.filter((p) => p.series === "openai");
    expect(openai.map((p) => [p.bucket.slice(0, 10), p.calls])).toEqual([
      ["2026-03-07", 1],
      ["2026-03-10", 6],
    ]);
    expect(week.latency.find((p) => p.series === "openai" && p.bucket.startsWith("2026-03-10"))).toEqual(
      expect.objectContaining({ count: 4, p50: 60, p95: 200 }),
    );
  });

  it("counts running and queued jobs and lists the latest failures with their reasons", async () => {
    const view = await projectMonitoring(fixture.db, admin, { range: "24h", split: "model", now: NOW });
    expect(view.jobs).toEqual([
      { job: "run", running: 0, queued: 1 },
      { job: "batch", running: 0, queued: 0 },
    ]);
    expect(view.failures.map((f) => [f.job, f.taskName, f.failedStep, f.error])).toEqual([
      ["run", "intent", "iter-2/optimizer", "optimizer answered no JSON"],
      ["batch", "sentiment", "chunk-1", "the provider refused the key"],
    ]);
  });

  it("is for admins and owners only", async () => {
    for (const role of ["viewer", "editor"] as const)
      await expect(
        projectMonitoring(fixture.db, { ...admin, role }, { range: "24h", split: "model", now: NOW }),
      ).rejects.toMatchObject({ status: 403 });
  });
});
