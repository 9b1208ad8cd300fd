// Rows done of a batch as a bar: finished rows (failed ones in red within), the rest to do.

export function BatchProgressBar({
  done,
  failed,
  total,
  label,
  size = "md",
}: {
  done: number;
  failed: number;
  total: number;
  /** The accessible name, e.g. "Batch progress". */
  label: string;
  size?: "sm" | "md";
}) {
  const fraction = total > 0 ? Math.min(1, done / total) : done > 0 ? 1 : 0;
  const failedFraction = total > 0 ? Math.min(fraction, failed / total) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={`${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows`}
      className={`relative w-full overflow-hidden rounded-full bg-slate-200 ${size === "sm" ? "h-1.5" : "h-3"}`}
    >
      <div
        className="absolute inset-y-0 left-0 bg-indigo-600 transition-[width] duration-300"
        style={{ width: `${fraction * 100}%` }}
      />
      {failedFraction > 0 ? (
        <div className="absolute inset-y-0 left-0 bg-red-500" style={{ width: `${failedFraction * 100}%` }} />
      ) : null}
    </div>
  );
}
