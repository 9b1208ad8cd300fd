// Two versions side by side, one table per field. Changes are marked three ways, never by colour alone:
// a +/− sign in the margin, <ins>/<del> elements (read out by screen readers), and the background.
import type { FieldDiff, SideBySideRow } from "@/lib/core/prompt-diff";
import { sideBySideRows } from "@/lib/core/prompt-diff";

type Side = SideBySideRow["left"];

function Cell({ side, change }: { side: Side; change: "added" | "removed" | null }) {
  if (!side)
    return (
      <>
        <td className="w-10 border-r border-slate-100 bg-slate-50" />
        <td className="bg-slate-50" />
      </>
    );
  const tone = change === "added" ? "bg-emerald-50" : change === "removed" ? "bg-red-50" : "";
  const sign = change === "added" ? "+" : change === "removed" ? "−" : " ";
  const text = side.text === "" ? "\u00a0" : side.text;
  return (
    <>
      <td
        className={`w-10 select-none border-r border-slate-100 px-1 text-right align-top text-slate-400 ${tone}`}
      >
        {side.line}
      </td>
      <td className={`px-2 align-top ${tone}`} data-change={change ?? "same"}>
        <div className="flex gap-2">
          <span
            aria-hidden="true"
            className={`w-3 shrink-0 select-none font-bold ${change === "added" ? "text-emerald-700" : "text-red-700"}`}
          >
            {sign}
          </span>
          {change === "added" ? (
            <ins className="min-w-0 flex-1 whitespace-pre-wrap break-words no-underline">
              <span className="sr-only">added: </span>
              {text}
            </ins>
          ) : change === "removed" ? (
            <del className="min-w-0 flex-1 whitespace-pre-wrap break-words no-underline">
              <span className="sr-only">removed: </span>
              {text}
            </del>
          ) : (
            <span className="min-w-0 flex-1 whitespace-pre-wrap break-words">{text}</span>
          )}
        </div>
      </td>
    </>
  );
}

export function FieldDiffTable({
  diff,
  from,
  to,
  labels,
}: {
  diff: FieldDiff;
  from: number;
  to: number;
  /** Column names instead of "Version {from}" / "Version {to}" (e.g. a run's unsaved winner). */
  labels?: { from: string; to: string };
}) {
  const fromLabel = labels?.from ?? `Version ${from}`;
  const toLabel = labels?.to ?? `Version ${to}`;
  const rows = sideBySideRows(diff.lines);
  const headingId = `diff-${diff.field}`;
  const changed = diff.added + diff.removed > 0;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-2">
        <h2 id={headingId} className="text-sm font-semibold">
          {diff.label}
        </h2>
        <p className="text-xs text-slate-600" data-testid={`diff-${diff.field}-summary`}>
          {changed ? (
            <>
              <span className="text-emerald-800">+{diff.added} added</span>
              {" · "}
              <span className="text-red-800">−{diff.removed} removed</span>
            </>
          ) : (
            "no changes"
          )}
        </p>
      </header>
      {rows.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">Empty in both versions.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full table-fixed border-collapse font-mono text-xs leading-5">
            <caption className="sr-only">
              {diff.label}: {fromLabel} on the left, {toLabel} on the right
            </caption>
            <colgroup>
              <col className="w-10" />
              <col />
              <col className="w-10" />
              <col />
            </colgroup>
            <thead className="border-b border-slate-200 bg-slate-50 font-sans text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-1 py-1 text-right font-medium">
                  <span className="sr-only">Line in {fromLabel}</span>#
                </th>
                <th scope="col" className="px-2 py-1 text-left font-medium">
                  {fromLabel}
                </th>
                <th scope="col" className="border-l border-slate-200 px-1 py-1 text-right font-medium">
                  <span className="sr-only">Line in {toLabel}</span>#
                </th>
                <th scope="col" className="px-2 py-1 text-left font-medium">
                  {toLabel}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
                  key={i}
                  className="border-b border-slate-50 [&>td:nth-child(3)]:border-l [&>td:nth-child(3)]:border-slate-200"
                >
                  <Cell
                    side={row.left}
                    change={row.kind === "removed" || row.kind === "changed" ? "removed" : null}
                  />
                  <Cell
                    side={row.right}
                    change={row.kind === "added" || row.kind === "changed" ? "added" : null}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
