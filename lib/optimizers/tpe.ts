// A Tree-structured Parzen Estimator over categorical choices (Bergstra et al., 2011; as Optuna's
// independent TPE sampler): the trials seen so far are split at the gamma-quantile of their scores into
// good and bad; per dimension, l(x) and g(x) are the smoothed frequencies of value x among the good and
// the bad; candidates are drawn from l and the one with the largest l(x)/g(x) is suggested. Before
// `startup` trials have a score, choices are drawn uniformly. Pure and seeded.

export interface Trial {
  /** One value index per dimension. */
  choice: readonly number[];
  /** Null: not scored (rejected), which still counts as tried. */
  score: number | null;
}

export interface TpeOptions {
  /** The share of scored trials counted as good. */
  gamma: number;
  /** Scored trials needed before the model is used. */
  startup: number;
  /** Candidates drawn from l(x) per suggestion. */
  candidates: number;
}

export const TPE_DEFAULTS: TpeOptions = { gamma: 0.25, startup: 4, candidates: 24 };

export const choiceKey = (choice: readonly number[]) => choice.join(",");

function drawIndex(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let draw = random() * total;
  for (const [i, w] of weights.entries()) {
    draw -= w;
    if (draw < 0) return i;
  }
  return weights.length - 1;
}

/** Smoothed frequencies of each value of dimension `d` among `trials` (a prior of one per value). */
function density(trials: readonly Trial[], d: number, size: number): number[] {
  const counts = Array.from({ length: size }, () => 1);
  for (const t of trials) counts[t.choice[d] as number] = (counts[t.choice[d] as number] as number) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

/** Every choice of the space, in order (for small spaces when sampling finds nothing new). */
function allChoices(sizes: readonly number[]): number[][] {
  return sizes.reduce<number[][]>(
    (acc, size) => acc.flatMap((c) => Array.from({ length: size }, (_, v) => [...c, v])),
    [[]],
  );
}

/**
 * The next choice to try: never one in `exclude` (keys of `choiceKey`) or among `trials`; null when the
 * whole space has been tried.
 */
export function tpeSuggest(
  sizes: readonly number[],
  trials: readonly Trial[],
  random: () => number,
  exclude: ReadonlySet<string> = new Set(),
  options: TpeOptions = TPE_DEFAULTS,
): number[] | null {
  const taken = new Set([...exclude, ...trials.map((t) => choiceKey(t.choice))]);
  const scored = trials.filter((t): t is Trial & { score: number } => t.score !== null);
  const open = () => allChoices(sizes).filter((c) => !taken.has(choiceKey(c)));
  if (scored.length < options.startup) {
    for (let i = 0; i < options.candidates; i++) {
      const choice = sizes.map((size) => Math.floor(random() * size));
      if (!taken.has(choiceKey(choice))) return choice;
    }
    const left = open();
    return left.length === 0 ? null : (left[Math.floor(random() * left.length)] as number[]);
  }
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const nGood = Math.max(1, Math.ceil(options.gamma * ranked.length));
  const good = ranked.slice(0, nGood);
  const bad = ranked.slice(nGood);
  const l = sizes.map((size, d) => density(good, d, size));
  const g = sizes.map((size, d) => density(bad, d, size));
  const ratio = (c: readonly number[]) =>
    c.reduce((r, v, d) => r * ((l[d]?.[v] as number) / (g[d]?.[v] as number)), 1);
  let best: { choice: number[]; ratio: number } | null = null;
  for (let i = 0; i < options.candidates; i++) {
    const choice = l.map((weights) => drawIndex(weights, random));
    if (taken.has(choiceKey(choice))) continue;
    const r = ratio(choice);
    if (!best || r > best.ratio) best = { choice, ratio: r };
  }
  if (best) return best.choice;
  // Every draw was taken (a nearly exhausted space): the best untried choice by the same criterion.
  const left = open().sort((a, b) => ratio(b) - ratio(a));
  return left[0] ?? null;
}

/** `count` suggestions at once, each excluding the ones before it (pending trials are not repeated). */
export function tpeSuggestMany(
  sizes: readonly number[],
  trials: readonly Trial[],
  count: number,
  random: () => number,
  exclude: ReadonlySet<string> = new Set(),
  options: TpeOptions = TPE_DEFAULTS,
): number[][] {
  const taken = new Set(exclude);
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const choice = tpeSuggest(sizes, trials, random, taken, options);
    if (!choice) break;
    taken.add(choiceKey(choice));
    out.push(choice);
  }
  return out;
}
