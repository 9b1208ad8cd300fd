// A prompt version's feedback, summed up in the database (grouped queries, never every row): per
// feedback name the count, the mean of the numbers, the share of 1s when the numbers are all 0/1
// (a thumbs-up rate), the negative judgments, the categories and the corrections; and its feedback
// newest first, page by page.
import type { Db } from "../client";
import type { FeedbackRecord } from "../experiments/feedback";
import { keysetPage, type Page, type PageCursor } from "../pagination";
import { feedbackRecord } from "./detail";
import { NEGATIVE_AT_MOST } from "./list";

export interface FeedbackNameStats {
  name: string;
  count: number;
  numericCount: number;
  mean: number | null;
  positiveShare: number | null;
  negative: number;
  categories: { category: string; count: number }[];
  corrections: number;
}

export interface VersionFeedbackStats {
  total: number;
  corrections: number;
  names: FeedbackNameStats[];
}

export async function summarizeVersionFeedback(db: Db, versionId: string): Promise<VersionFeedbackStats> {
  const where = { versionId };
  const [byName, binary, negative, categories] = await Promise.all([
    db.feedback.groupBy({
      by: ["name"],
      where,
      _count: { _all: true, value: true, correction: true },
      _avg: { value: true },
    }),
    db.feedback.groupBy({
      by: ["name", "value"],
      where: { ...where, value: { in: [0, 1] } },
      _count: { _all: true },
    }),
    db.feedback.groupBy({
      by: ["name"],
      where: { ...where, value: { lte: NEGATIVE_AT_MOST } },
      _count: { _all: true },
    }),
    db.feedback.groupBy({
      by: ["name", "category"],
      where: { ...where, category: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const ones = new Map<string, number>();
  const zeroOrOne = new Map<string, number>();
  for (const g of binary) {
    zeroOrOne.set(g.name, (zeroOrOne.get(g.name) ?? 0) + g._count._all);
    if (g.value === 1) ones.set(g.name, g._count._all);
  }
  const negatives = new Map(negative.map((g) => [g.name, g._count._all]));
  const names: FeedbackNameStats[] = byName.map((g) => {
    const numericCount = g._count.value;
    const binaryCount = zeroOrOne.get(g.name) ?? 0;
    return {
      name: g.name,
      count: g._count._all,
      numericCount,
      mean: numericCount > 0 ? g._avg.value : null,
      positiveShare:
        numericCount > 0 && binaryCount === numericCount ? (ones.get(g.name) ?? 0) / numericCount : null,
      negative: negatives.get(g.name) ?? 0,
      categories: categories
        .flatMap((c) =>
          c.name === g.name && c.category !== null ? [{ category: c.category, count: c._count._all }] : [],
        )
        .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
      corrections: g._count.correction,
    };
  });
  names.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    total: names.reduce((sum, n) => sum + n.count, 0),
    corrections: names.reduce((sum, n) => sum + n.corrections, 0),
    names,
  };
}

/** The version's feedback (on its generations and exposures), newest first. */
export async function pageVersionFeedback(
  db: Db,
  versionId: string,
  query: { cursor?: PageCursor | null; limit: number },
): Promise<Page<FeedbackRecord>> {
  const page = await keysetPage(query, (keyset, take) =>
    db.feedback.findMany({
      where: { AND: [{ versionId }, keyset] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    }),
  );
  return { items: page.items.map(feedbackRecord), next: page.next };
}
