// An experiment's status as text plus a symbol (never colour alone).
import type { ExperimentStatus } from "@/lib/validation/experiments";

const STYLES: Record<ExperimentStatus, { symbol: string; label: string; className: string }> = {
  draft: { symbol: "○", label: "Draft", className: "bg-slate-100 text-slate-700" },
  running: { symbol: "◔", label: "Running", className: "bg-sky-100 text-sky-800" },
  paused: { symbol: "‖", label: "Paused", className: "bg-amber-100 text-amber-900" },
  stopped: { symbol: "■", label: "Stopped", className: "bg-slate-200 text-slate-800" },
};

export function ExperimentStatusBadge({ status }: { status: ExperimentStatus }) {
  const style = STYLES[status];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ${style.className}`}
      data-status={status}
    >
      <span aria-hidden="true">{style.symbol}</span>
      {style.label}
    </span>
  );
}
