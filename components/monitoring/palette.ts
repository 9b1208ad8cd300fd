// Series colours (static class names, so Tailwind generates them), in the order series are drawn.
export const SERIES_COLORS = [
  { fill: "fill-indigo-600", stroke: "stroke-indigo-600", swatch: "bg-indigo-600" },
  { fill: "fill-emerald-600", stroke: "stroke-emerald-600", swatch: "bg-emerald-600" },
  { fill: "fill-amber-500", stroke: "stroke-amber-500", swatch: "bg-amber-500" },
  { fill: "fill-rose-600", stroke: "stroke-rose-600", swatch: "bg-rose-600" },
  { fill: "fill-sky-600", stroke: "stroke-sky-600", swatch: "bg-sky-600" },
  { fill: "fill-violet-600", stroke: "stroke-violet-600", swatch: "bg-violet-600" },
  { fill: "fill-teal-600", stroke: "stroke-teal-600", swatch: "bg-teal-600" },
  { fill: "fill-slate-500", stroke: "stroke-slate-500", swatch: "bg-slate-500" },
] as const;

export const seriesColor = (index: number) => SERIES_COLORS[index % SERIES_COLORS.length]!;
