// The 5 steps of one iteration in order, the current one marked (aria-current="step"), then the final
// held-out test. Done, current and upcoming differ by symbol and text, not colour alone.
import { ITERATION_STEPS, stepPosition } from "./live-state";

type State = "done" | "current" | "upcoming";

const STATE_STYLE: Record<State, { symbol: string; className: string; text: string }> = {
  done: { symbol: "✓", className: "border-emerald-200 bg-emerald-50 text-emerald-900", text: "done" },
  current: {
    symbol: "◔",
    className: "border-sky-300 bg-sky-50 text-sky-900 ring-2 ring-sky-200",
    text: "now",
  },
  upcoming: { symbol: "○", className: "border-slate-200 bg-white text-slate-500", text: "next" },
};

function Step({
  number,
  label,
  detail,
  state,
}: {
  number?: number;
  label: string;
  detail: string;
  state: State;
}) {
  const style = STATE_STYLE[state];
  return (
    <li
      aria-current={state === "current" ? "step" : undefined}
      data-step-state={state}
      className={`min-w-0 rounded-md border px-3 py-2 text-sm ${style.className}`}
    >
      <p className="flex items-center gap-1.5 font-medium">
        <span aria-hidden="true">{style.symbol}</span>
        <span>
          {number !== undefined ? `${number}. ` : ""}
          {label}
        </span>
        <span className="sr-only"> ({style.text})</span>
      </p>
      <p className="mt-0.5 text-xs opacity-80">{detail}</p>
    </li>
  );
}

/** `step`: the snapshot's step name; `finished`: the run is over (every step shows as done). */
export function RunSteps({ step, finished }: { step: string | undefined; finished: boolean }) {
  const position = stepPosition(step);
  const stateOf = (index: number): State => {
    if (finished || position.phase === "final") return "done";
    if (position.phase !== "iteration") return "upcoming";
    return index < position.index ? "done" : index === position.index ? "current" : "upcoming";
  };
  const finalState: State = finished ? "done" : position.phase === "final" ? "current" : "upcoming";
  return (
    <div className="space-y-2">
      <ol aria-label="Steps of the current iteration" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-5">
        {ITERATION_STEPS.map((s, i) => (
          <Step key={s.step} number={i + 1} label={s.label} detail={s.detail} state={stateOf(i)} />
        ))}
      </ol>
      <ol aria-label="After the last iteration" className="grid gap-2 lg:grid-cols-5">
        <Step label="Held-out test" detail="baseline and best prompt on the test split" state={finalState} />
      </ol>
    </div>
  );
}
