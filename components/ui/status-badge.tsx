// The status of a run or a batch as text plus a symbol (never colour alone).
type Status = "queued" | "running" | "succeeded" | "failed" | "cancelled";

const STYLES: Record<Status, { symbol: string; className: string }> = {
  queued: { symbol: "○", className: "bg-slate-100 text-slate-700" },
  running: { symbol: "◔", className: "bg-sky-100 text-sky-800" },
  succeeded: { symbol: "✓", className: "bg-emerald-100 text-emerald-800" },
  failed: { symbol: "✕", className: "bg-red-100 text-red-800" },
  cancelled: { symbol: "⊘", className: "bg-amber-100 text-amber-900" },
};

export function StatusBadge({ status }: { status: Status }) {
  const style = STYLES[status] ?? STYLES.queued;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ${style.className}`}
      data-status={status}
    >
      <span aria-hidden="true">{style.symbol}</span>
      {status}
    </span>
  );
}
