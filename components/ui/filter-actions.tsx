// The end of a GET filter form: submit, and (when a filter is set) a link back to the unfiltered list.
import Link from "next/link";

export function FilterActions({ base, active }: { base: string; active: boolean }) {
  return (
    <>
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
      >
        Filter
      </button>
      {active ? (
        <Link href={base} className="py-2 text-sm text-indigo-700 hover:underline">
          Clear filters
        </Link>
      ) : null}
    </>
  );
}
