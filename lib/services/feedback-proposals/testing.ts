// Test support: judgments written straight into the Feedback table (the check reads only counts), and
// generations with corrections (what starting a proposal builds its dataset from).
import type { Db } from "@/lib/db";

export interface Judgments {
  projectId: string;
  versionId: string;
  name?: string;
  /** One row per value. */
  values: number[];
  /** When they were sent (default now). */
  at?: Date;
}

export async function judge(db: Db, j: Judgments): Promise<void> {
  await db.feedback.createMany({
    data: j.values.map((value) => ({
      projectId: j.projectId,
      versionId: j.versionId,
      name: j.name ?? "thumbs_up",
      value,
      source: "user",
      actorLabel: "test",
      createdAt: j.at ?? new Date(),
    })),
  });
}

/** `yes` ones and `no` zeros. */
export const thumbs = (yes: number, no: number): number[] => [
  ...Array.from({ length: yes }, () => 1),
  ...Array.from({ length: no }, () => 0),
];

/** A generation of the version (now: it served traffic), with a thumbs-down and, if given, a correction. */
export async function generationWithCorrection(
  db: Db,
  ids: { projectId: string; taskId: string; versionId: string },
  ticket: string,
  correction: string | null,
): Promise<string> {
  const generation = await db.generation.create({
    data: { ...ids, model: "sim:default", variables: { ticket }, output: "a wrong answer" },
  });
  await db.feedback.create({
    data: {
      projectId: ids.projectId,
      generationId: generation.id,
      versionId: ids.versionId,
      name: "thumbs_up",
      value: 0,
      correction,
      source: "reviewer",
      actorLabel: "test",
    },
  });
  return generation.id;
}
