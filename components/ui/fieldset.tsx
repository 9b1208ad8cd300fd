// A titled group of form controls (a fieldset with its legend).
import type { ReactNode } from "react";

export function Fieldset({
  legend,
  children,
  className = "",
  describedBy,
}: {
  legend: string;
  children: ReactNode;
  className?: string;
  describedBy?: string;
}) {
  return (
    // min-w-0: a fieldset is at least as wide as its content by default, so a wide table inside it
    // would widen the page instead of scrolling in its own box.
    <fieldset
      aria-describedby={describedBy}
      className={`min-w-0 rounded-md border border-slate-200 p-4 ${className}`}
    >
      <legend className="px-1 text-sm font-semibold text-slate-800">{legend}</legend>
      {children}
    </fieldset>
  );
}
