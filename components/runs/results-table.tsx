// A run's per-example results: input, expected, the baseline's and the winner's output with their
// scores, and the change (also as a word and a symbol, never colour alone).
import type { RunResultItem } from "@/lib/services/runs/results";

const score = (value: number) => value.toFixed(2);

function Change({ delta }: { delta: number | null }) {
  if (delta === null) return <span className="text-slate-400">–</span>;
  if (delta > 0)
    return (
      <span className="whitespace-nowrap font-medium text-emerald-800" data-change="improved">
        <span aria-hidden="true">▲ </span>+{score(delta)}
        <span className="block text-xs font-normal">improved</span>
      </span>
    );
  if (delta < 0)
    return (
      <span className="whitespace-nowrap font-medium text-red-800" data-change="regressed">
        <span aria-hidden="true">▼ </span>−{score(-delta)}
        <span className="block text-xs font-normal">regressed</span>
      </span>
    );
  return (
    <span className="whitespace-nowrap text-slate-600" data-change="unchanged">
      <span aria-hidden="true">● </span>0.00
      <span className="block text-xs">unchanged</span>
    </span>
  );
}

function Text({ value, error }: { value: string | null; error?: string | null }) {
  return (
    <div className="min-w-0">
      {value !== null && value !== "" ? (
        <p
          className="line-clamp-4 whitespace-pre-wrap break-words"
          title={value.length > 200 ? value : undefined}
        >
          {value}
        </p>
      ) : (
        <p className="text-slate-400">(no output)</p>
      )}
      {error ? <p className="mt-1 break-words text-xs text-red-800">Error: {error}</p> : null}
    </div>
  );
}

export function ResultsTable({ items, hasWinner }: { items: RunResultItem[]; hasWinner: boolean }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full table-fixed text-left text-sm">
        <caption className="sr-only">
          Per-example results{hasWinner ? ": baseline against the winner" : ""}, in dataset row order
        </caption>
        <colgroup>
          <col className="w-14" />
          <col />
          <col className="w-28" />
          <col />
          {hasWinner ? (
            <>
              <col />
              <col className="w-24" />
            </>
          ) : null}
        </colgroup>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3">
              Row
            </th>
            <th scope="col" className="py-2 pr-3">
              Input
            </th>
            <th scope="col" className="py-2 pr-3">
              Expected
            </th>
            <th scope="col" className="py-2 pr-3">
              Baseline output · score
            </th>
            {hasWinner ? (
              <>
                <th scope="col" className="py-2 pr-3">
                  Winner output · score
                </th>
                <th scope="col" className="py-2">
                  Change
                </th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {items.map((item) => (
            <tr key={item.exampleKey} data-example={item.exampleKey}>
              <th scope="row" className="py-2 pr-3 font-normal tabular-nums text-slate-600">
                {item.rowNumber}
                <div className="truncate font-mono text-xs text-slate-600" title={item.exampleKey}>
                  {item.exampleKey}
                </div>
              </th>
              <td className="py-2 pr-3">
                <dl className="space-y-1">
                  {Object.entries(item.input).map(([name, value]) => (
                    <div key={name} className="min-w-0">
                      <dt className="text-xs text-slate-500">{name}</dt>
                      <dd className="line-clamp-4 whitespace-pre-wrap break-words">{value}</dd>
                    </div>
                  ))}
                </dl>
              </td>
              <td className="py-2 pr-3">
                <p className="break-words">{item.expected}</p>
              </td>
              <td className="py-2 pr-3">
                <Text value={item.baseline.output} error={item.baseline.error} />
                <p className="mt-1 text-xs tabular-nums text-slate-600">score {score(item.baseline.score)}</p>
              </td>
              {hasWinner ? (
                <>
                  <td className="py-2 pr-3">
                    {item.winner ? (
                      <>
                        <Text value={item.winner.output} error={item.winner.error} />
                        <p className="mt-1 text-xs tabular-nums text-slate-600">
                          score {score(item.winner.score)}
                        </p>
                      </>
                    ) : (
                      <p className="text-slate-400">not scored</p>
                    )}
                  </td>
                  <td className="py-2 tabular-nums">
                    <Change delta={item.delta} />
                  </td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
