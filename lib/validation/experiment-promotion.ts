// The promotion of an experiment's winner as a durable job (kind `experiment-promotion`). Its record is
// the experiment's `promotion` column (the schema has no promotion table): a small JSON document with
// the job's status, the winner it promotes and, once done, what happened to the label. Rows written
// before promotions were jobs hold the outcome as plain text: they read as a finished promotion.
import * as z from "zod";

export const PROMOTION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export const storedPromotionSchema = z.object({
  status: z.enum(PROMOTION_STATUSES),
  schemaVersion: z.literal(1),
  /** The variant the decision named: a promotion only ever moves the label to it. */
  winnerVariantId: z.string().min(1),
  /** What happened to the label, for people (set when it succeeded). */
  outcome: z.string().nullable(),
  error: z.string().nullable(),
  failedStep: z.string().nullable(),
});
export type StoredPromotion = z.output<typeof storedPromotionSchema>;

/** The promotion as people read it on the experiment's page and in the API. */
export function promotionText(promotion: StoredPromotion): string {
  switch (promotion.status) {
    case "queued":
      return "promotion queued";
    case "running":
      return "promoting the winner";
    case "succeeded":
      return promotion.outcome ?? "promoted";
    case "failed":
      return `promotion failed${promotion.failedStep ? ` at ${promotion.failedStep}` : ""}: ${promotion.error ?? "unknown error"}`;
    case "cancelled":
      return "promotion cancelled";
  }
}
