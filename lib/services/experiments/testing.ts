// Test support: a project with a task of N versions, `production` on version 1, and a started
// experiment between them, plus subjects with feedback written through the repositories.
import { operatorProjectAccess } from "@/lib/auth/access";
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type Db,
  ensureProject,
  findExposureTarget,
  findOrCreatePromptVersion,
  recordExposure,
  recordFeedback,
  SYSTEM_ACTOR,
  upsertTask,
} from "@/lib/db";
import type { CreateExperimentInput } from "@/lib/validation/experiments";
import { changeProjectExperiment, createProjectExperiment } from "./manage";

export async function seedExperimentWorld(
  db: Db,
  options: { versions?: number; slug?: string } = {},
): Promise<{ access: ProjectAccess; versionIds: string[] }> {
  const slug = options.slug ?? "default";
  await ensureProject(db, slug);
  const access = await operatorProjectAccess(db, slug);
  const task = await upsertTask(db, access.project.id, { name: "support", description: "" });
  const versionIds: string[] = [];
  for (let i = 1; i <= (options.versions ?? 2); i++) {
    const { version } = await findOrCreatePromptVersion(
      db,
      task.id,
      { systemPrompt: "", outputPrompt: `Variant ${i}: {{ticket}}`, demos: [], params: {} },
      { source: "manual" },
    );
    versionIds.push(version.id);
  }
  await db.promptLabel.create({
    data: {
      projectId: access.project.id,
      taskId: task.id,
      name: "production",
      versionId: versionIds[0] as string,
    },
  });
  return { access, versionIds };
}

export const THUMBS_EXPERIMENT: CreateExperimentInput = {
  name: "Thumbs",
  task: "support",
  label: "production",
  mode: "fixed",
  variants: [
    { version: 1, weight: 1 },
    { version: 2, weight: 1 },
  ],
  metric: { source: "feedback", name: "thumbs_up", kind: "proportion", better: "higher", missing: "skip" },
  guardrails: [],
  alpha: 0.05,
  baseline: 0.5,
  minimumDetectableEffect: 0.2,
  maxDurationHours: 24 * 14,
};

export async function startedExperiment(
  db: Db,
  access: ProjectAccess,
  input: Partial<CreateExperimentInput> = {},
): Promise<string> {
  const created = await createProjectExperiment(db, access, { ...THUMBS_EXPERIMENT, ...input }, SYSTEM_ACTOR);
  await changeProjectExperiment(db, access, created.id, "started", SYSTEM_ACTOR);
  return created.id;
}

/**
 * `count` subjects exposed to variant `index`, each sending `thumbs_up` = 1 with probability `rate`
 * (deterministic: the first round(rate × count) say yes).
 */
export async function exposeWithFeedback(
  db: Db,
  experimentId: string,
  variantId: string,
  count: number,
  rate: number,
  prefix: string,
): Promise<void> {
  const yes = Math.round(rate * count);
  for (let i = 0; i < count; i++) {
    const exposure = await recordExposure(db, experimentId, `${prefix}-${i}`, variantId);
    const target = await findExposureTarget(db, exposure.id);
    if (!target) throw new Error("exposure not found");
    await recordFeedback(db, target, {
      name: "thumbs_up",
      value: i < yes ? 1 : 0,
      category: null,
      comment: null,
      correction: null,
      source: "user",
      idempotencyKey: null,
      actorLabel: "test",
    });
  }
}
