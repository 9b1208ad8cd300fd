// Seeded randomness: every random choice of a run flows from its seed, so a run can be reproduced.

/** 32-bit FNV-1a hash of a string; used to derive seeds from names. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mulberry32: small, fast, good enough for sampling and bootstrap resampling. */
export function createRandom(seed: number | string): () => number {
  let state = typeof seed === "string" ? hashString(seed) : seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle into a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `count` distinct items drawn without replacement, in their original order. */
export function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
  if (count >= items.length) return items.slice();
  const chosen = new Set(
    shuffle(
      items.map((_, i) => i),
      random,
    ).slice(0, count),
  );
  return items.filter((_, i) => chosen.has(i));
}
