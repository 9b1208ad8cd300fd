// Assigning a subject (a user, session or request id) to a variant: sticky by a hash of experiment and
// subject (lib/core/experiments/assignment.ts), exposure recorded once. In bandit mode the hash point
// falls into the current Thompson weights, so a new subject may land elsewhere than under the first
// weights: the stored exposure, not the hash, is what a returning subject gets.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError } from "@/lib/core/errors";
import { assignVariant } from "@/lib/core/experiments/assignment";
import { type ActiveExperiment, type Db, findRunningExperiment, recordExposure } from "@/lib/db";
import type { Assignment } from "@/lib/validation/experiments";
import { requireExperiment } from "./manage";

type Variant = ActiveExperiment["variants"][number];

export interface Exposed {
  experimentId: string;
  exposureId: string;
  variant: Variant;
  firstExposure: boolean;
}

// Exposures never change once written: this process remembers the ones it saw, so a returning subject
// costs no database round trip. Bounded; the oldest entry goes first.
const KNOWN = Symbol.for("strop.known-exposures");
const MAX_KNOWN = 100_000;
type WithKnown = typeof globalThis & { [KNOWN]?: Map<string, { exposureId: string; variantId: string }> };

function known(): Map<string, { exposureId: string; variantId: string }> {
  const global = globalThis as WithKnown;
  global[KNOWN] ??= new Map();
  return global[KNOWN];
}

function remember(key: string, value: { exposureId: string; variantId: string }): void {
  const map = known();
  if (map.size >= MAX_KNOWN) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** The traffic weights in effect: the bandit's when it has them, else the configured ones. */
export function currentWeights(experiment: Pick<ActiveExperiment, "mode" | "variants">): number[] {
  return experiment.variants.map((v) =>
    experiment.mode === "bandit" && v.banditWeight !== null ? v.banditWeight : v.weight,
  );
}

export interface ChosenVariant {
  variant: Variant;
  /** The exposure this process already knows of (a returning subject); null: not recorded here yet. */
  exposureId: string | null;
}

/** The subject's variant, without recording anything: what `exposeSubject` would serve. */
export function chooseVariant(experiment: ActiveExperiment, subjectId: string): ChosenVariant {
  const seen = known().get(`${experiment.id}\n${subjectId}`);
  const variant = seen && experiment.variants.find((v) => v.id === seen.variantId);
  if (seen && variant) return { variant, exposureId: seen.exposureId };
  const index = assignVariant(experiment.id, subjectId, currentWeights(experiment));
  return { variant: experiment.variants[index] as Variant, exposureId: null };
}

/**
 * The subject's variant of a running experiment, its exposure recorded on the first call (`chosen`:
 * what `chooseVariant` said, when the caller checked something about it first). Another instance's
 * earlier exposure of the subject wins over the choice.
 */
export async function exposeSubject(
  db: Db,
  experiment: ActiveExperiment,
  subjectId: string,
  chosen: ChosenVariant = chooseVariant(experiment, subjectId),
): Promise<Exposed> {
  if (chosen.exposureId !== null)
    return {
      experimentId: experiment.id,
      exposureId: chosen.exposureId,
      variant: chosen.variant,
      firstExposure: false,
    };
  const exposure = await recordExposure(db, experiment.id, subjectId, chosen.variant.id);
  remember(`${experiment.id}\n${subjectId}`, { exposureId: exposure.id, variantId: exposure.variantId });
  return {
    experimentId: experiment.id,
    exposureId: exposure.id,
    variant: experiment.variants.find((v) => v.id === exposure.variantId) ?? chosen.variant,
    firstExposure: exposure.created,
  };
}

/** `POST …/experiments/{id}/assign`: the subject's variant of a running experiment (409 otherwise). */
export async function assignSubject(
  db: Db,
  access: ProjectAccess,
  experimentId: string,
  subjectId: string,
): Promise<Assignment> {
  const record = await requireExperiment(db, access, experimentId);
  const running = await findRunningExperiment(db, access.project.id, record.taskName, record.label);
  if (!running || running.id !== record.id)
    throw new ConflictError(
      `experiment "${record.name}" is ${record.status}: only a running experiment assigns`,
      {
        status: record.status,
      },
    );
  const exposed = await exposeSubject(db, running, subjectId);
  const version = record.variants.find((v) => v.id === exposed.variant.id)?.version ?? 0;
  return {
    experimentId: record.id,
    exposureId: exposed.exposureId,
    variant: exposed.variant.index,
    version,
    versionId: exposed.variant.versionId,
    firstExposure: exposed.firstExposure,
  };
}
