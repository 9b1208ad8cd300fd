import { Alert } from "@/components/ui/alert";
import type { RowProblem } from "@/lib/validation/common";

export type Problem = RowProblem;

/** The problems of a refused upload: row, line and what is wrong, in file order. */
export function ValidationReport({
  problems,
  count,
  message,
}: {
  problems: Problem[];
  count: number;
  message: string;
}) {
  const title = `${count} problem${count === 1 ? "" : "s"} found: nothing was stored`;
  return (
    <div className="space-y-3">
      <Alert tone="error" title={title}>
        Fix the rows below and upload the file again.
        {count > problems.length ? ` The first ${problems.length} are listed.` : ""}
      </Alert>
      <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Validation report: {message.split("\n")[0]}</caption>
          <thead className="sticky top-0 border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Row
              </th>
              <th scope="col" className="px-3 py-2">
                Line
              </th>
              <th scope="col" className="px-3 py-2">
                Problem
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {problems.map((p) => (
              <tr key={`${p.row}-${p.line}-${p.message}`}>
                <td className="px-3 py-1.5 font-mono text-xs">{p.row ?? "—"}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{p.line ?? "—"}</td>
                <td className="px-3 py-1.5">{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
