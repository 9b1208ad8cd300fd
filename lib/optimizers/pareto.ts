// Pareto bookkeeping over examples (GEPA): a member is on the frontier when no other member scores higher
// on some example it is best on — i.e. it attains the best score on at least one example. Its weight is
// how many examples it is best on, so parents are drawn in proportion to the ground they hold. A score
// of null is an example the member was not scored on (cross-validation moves examples between splits).

export type ExampleScores = readonly (number | null)[];

export interface FrontierEntry {
  member: number;
  /** Examples this member attains the best score on (indexes into the Pareto set). */
  wins: number[];
}

/** The best score any member got on each example (null where none was scored). */
export function bestPerExample(members: readonly ExampleScores[]): (number | null)[] {
  const width = Math.max(0, ...members.map((m) => m.length));
  return Array.from({ length: width }, (_, j) => {
    let best: number | null = null;
    for (const scores of members) {
      const score = scores[j] ?? null;
      if (score !== null && (best === null || score > best)) best = score;
    }
    return best;
  });
}

/**
 * The members best on at least one example, with those examples. Examples nobody scored above zero are
 * no one's ground (every member "wins" them, which says nothing).
 */
export function paretoFrontier(members: readonly ExampleScores[]): FrontierEntry[] {
  const best = bestPerExample(members);
  const frontier: FrontierEntry[] = [];
  members.forEach((scores, member) => {
    const wins = best.flatMap((b, j) => (b !== null && b > 0 && scores[j] === b ? [j] : []));
    if (wins.length > 0) frontier.push({ member, wins });
  });
  return frontier;
}

/** A frontier member drawn with probability proportional to its wins. */
export function sampleByWins(frontier: readonly FrontierEntry[], random: () => number): number {
  const total = frontier.reduce((sum, f) => sum + f.wins.length, 0);
  let draw = random() * total;
  for (const entry of frontier) {
    draw -= entry.wins.length;
    if (draw < 0) return entry.member;
  }
  return (frontier[frontier.length - 1] as FrontierEntry).member;
}

/**
 * Pairs of frontier members that complement each other: each is best on an example the other is not
 * (a merge of the two can hold both grounds), most combined ground first.
 */
export function complementaryPairs(frontier: readonly FrontierEntry[]): [number, number][] {
  const pairs: { pair: [number, number]; ground: number }[] = [];
  for (const [i, a] of frontier.entries()) {
    for (const b of frontier.slice(i + 1)) {
      const onlyA = a.wins.filter((j) => !b.wins.includes(j));
      const onlyB = b.wins.filter((j) => !a.wins.includes(j));
      if (onlyA.length > 0 && onlyB.length > 0) {
        pairs.push({ pair: [a.member, b.member], ground: new Set([...a.wins, ...b.wins]).size });
      }
    }
  }
  return pairs.sort((x, y) => y.ground - x.ground).map((p) => p.pair);
}

/** A member's mean over the examples it was scored on (0 when none). */
export function meanScore(scores: ExampleScores): number {
  const known = scores.filter((s): s is number => s !== null);
  return known.length === 0 ? 0 : known.reduce((a, b) => a + b, 0) / known.length;
}
