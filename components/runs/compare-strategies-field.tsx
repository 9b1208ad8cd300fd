"use client";
// "Also run with": other search strategies to start on the same spec and budget; with any ticked, the
// form starts one run per strategy and opens the page that compares them.
export function CompareStrategiesField({
  strategies,
  selected,
}: {
  strategies: { name: string; description: string }[];
  /** The strategy chosen above: it runs anyway. */
  selected: string;
}) {
  const others = strategies.filter((s) => s.name !== selected);
  if (others.length === 0) return null;
  return (
    <fieldset className="sm:col-span-2" aria-describedby="run-compare-hint">
      <legend className="text-sm font-medium text-slate-800">Compare with other strategies (optional)</legend>
      <p id="run-compare-hint" className="mt-1 text-xs text-slate-600">
        Each strategy ticked here runs too, on the same task, data, models, stop rules and budget; you land on
        a page that compares their held-out scores and spend.
      </p>
      <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
        {others.map((s) => (
          <label
            key={s.name}
            className="flex items-center gap-2 text-sm text-slate-700"
            title={s.description}
          >
            <input type="checkbox" name="compareWith" value={s.name} />
            {s.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
