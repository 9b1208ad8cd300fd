// Deterministic, sticky assignment: a subject's variant is a pure function of the experiment and the
// subject, so every app instance, every request and every restart gives the same answer without storing
// anything first. The hash is FNV-1a followed by the MurmurHash3 finalizer, whose avalanche spreads
// near-identical ids ("user-1", "user-2") evenly over [0, 1).
import { hashString } from "../random";

function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The subject's point in [0, 1) for this experiment. */
export function assignmentPoint(experimentId: string, subjectId: string): number {
  return mix32(hashString(`${experimentId}\u0000${subjectId}`)) / 4294967296;
}

/** Index of the variant a point falls into, with weights in any positive scale. */
export function variantAt(point: number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (!(total > 0)) throw new RangeError("at least one variant needs a positive weight");
  let edge = 0;
  for (let i = 0; i < weights.length; i++) {
    edge += Math.max(0, weights[i] as number) / total;
    if (point < edge) return i;
  }
  // Rounding can leave the last edge a hair under 1: the point belongs to the last weighted variant.
  for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
  return weights.length - 1;
}

export function assignVariant(experimentId: string, subjectId: string, weights: readonly number[]): number {
  return variantAt(assignmentPoint(experimentId, subjectId), weights);
}
