// Pick two versions to compare: a plain GET form (works without JavaScript, bookmarkable URL).
export function VersionPicker({
  action,
  versions,
  from,
  to,
}: {
  action: string;
  versions: number[];
  from: number;
  to: number;
}) {
  const options = versions.map((v) => (
    <option key={v} value={v}>
      Version {v}
    </option>
  ));
  const select = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <form
      method="get"
      action={action}
      className="flex flex-wrap items-end gap-3"
      aria-label="Compare versions"
    >
      <div>
        <label htmlFor="diff-from" className="block text-xs font-medium text-slate-600">
          From (older)
        </label>
        <select id="diff-from" name="from" defaultValue={String(from)} className={select}>
          {options}
        </select>
      </div>
      <div>
        <label htmlFor="diff-to" className="block text-xs font-medium text-slate-600">
          To (newer)
        </label>
        <select id="diff-to" name="to" defaultValue={String(to)} className={select}>
          {options}
        </select>
      </div>
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
      >
        Compare
      </button>
    </form>
  );
}
