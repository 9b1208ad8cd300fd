// How variants are named and coloured everywhere on the experiment pages (colour never alone: names too).
const COLORS = ["#334155", "#4f46e5", "#059669", "#d97706", "#db2777", "#0891b2", "#7c3aed", "#65a30d"];

export function variantName(index: number): string {
  return index === 0 ? "Control" : `Variant ${String.fromCharCode(64 + index)}`;
}

export function variantColor(index: number): string {
  return COLORS[index % COLORS.length] as string;
}

export const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** A metric value: rates as percentages, other means with 3 significant digits. */
export function metricFormat(kind: "proportion" | "mean"): (v: number) => string {
  return kind === "proportion" ? percent : (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
}
