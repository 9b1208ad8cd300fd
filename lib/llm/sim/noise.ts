// Deterministic noise: a real model slips now and then. Whether a call slips is a hash of the model,
// the full prompt (input included) and the seed, so the same call always gives the same answer while a
// different seed, prompt wording or temperature moves the slips around.
import { hash01 } from "./text";

/** Share of answers that slip at temperature 0; each unit of temperature adds SLIP_PER_TEMPERATURE. */
export const BASE_SLIP_RATE = 0.035;
export const SLIP_PER_TEMPERATURE = 0.05;

export function slipRate(temperature: number | undefined): number {
  const t = Math.min(2, Math.max(0, temperature ?? 0));
  return BASE_SLIP_RATE + SLIP_PER_TEMPERATURE * t;
}

export interface NoiseSource {
  /** Whether this call slips. */
  slips: boolean;
  /** A deterministic number in [0, 1) for choices about this call (`salt` tells choices apart). */
  pick(salt: string): number;
}

export function noiseFor(
  model: string,
  prompt: string,
  seed: number | undefined,
  temperature?: number,
): NoiseSource {
  const key = `${model}\u0000${seed ?? 0}\u0000${prompt}`;
  return {
    slips: hash01("slip", key) < slipRate(temperature),
    pick: (salt) => hash01(salt, key),
  };
}
