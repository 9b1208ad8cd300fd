// The 5 steps of one iteration in order, the current one marked (aria-current="step"), then the final
// held-out test. A run that ended early (cancelled or failed) shows the steps it finished as done, the
// step it stopped at, and the rest as not run, rather than every step as still to come. Done, current,
// stopped and not-run steps differ by symbol and text, not colour alone.
import type { RunStatus } from "@/lib/validation/runs";
import { ITERATION_STEPS, isActive, stepPosition } from "./live-state";

type State = "done" | "current" | "upcoming" | "stopped" | "skipped";

const STATE_STYLE: Record<State, { symbol: string; className: string; text: string }> = {
  done: { symbol: "✓", className: "border-emerald-200 bg-emerald-50 text-emerald-900", text: "done" },
  current: {
    symbol: "◔",
    className: "border-sky-300 bg-sky-50 text-sky-900 ring-2 ring-sky-200",
    text: "now",
  },
  upcoming: { symbol: "○", className: "border-slate-200 bg-white text-slate-500", text: "next" },
  stopped: { symbol: "■", className: "border-amber-300 bg-amber-50 text-amber-900", text: "stopped here" },
  skipped: { symbol: "–", className: "border-slate-200 bg-slate-50 text-slate-500", text: "not run" },
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
        <span>{`${number !== undefined ? `${number}. ` : ""}${label}`}</span>
        <span className={state === "stopped" || state === "skipped" ? "text-xs font-normal" : "sr-only"}>
          {` (${style.text})`}
        </span>
      </p>
      <p className="mt-0.5 text-xs opacity-80">{detail}</p>
    </li>
  );
}

/** The state of each iteration step and of the final test, for a run with `status` last seen at `step`. */
export function stepStates(
  step: string | undefined,
  status: RunStatus,
): { iteration: State[]; final: State } {
  const position = stepPosition(step);
  const all = (state: State) => ITERATION_STEPS.map(() => state);
  if (status === "succeeded") return { iteration: all("done"), final: "done" };
  const here: State = isActive(status) ? "current" : "stopped";
  const after: State = isActive(status) ? "upcoming" : "skipped";
  if (position.phase === "final") return { iteration: all("done"), final: here };
  if (position.phase !== "iteration") return { iteration: all(after), final: after };
  return {
    iteration: ITERATION_STEPS.map((_, i) =>
      i < position.index ? "done" : i === position.index ? here : after,
    ),
    final: after,
  };
}

/** `step`: the latest snapshot's step name; `status`: the run's (ended runs show where they stopped). */
export function RunSteps({ step, status }: { step: string | undefined; status: RunStatus }) {
  const states = stepStates(step, status);
  return (
    <div className="space-y-2">
      <ol
        aria-label={isActive(status) ? "Steps of the current iteration" : "Steps of the last iteration"}
        className="grid gap-2 sm:grid-cols-2 lg:grid-cols-5"
      >
        {ITERATION_STEPS.map((s, i) => (
          <Step
            key={s.step}
            number={i + 1}
            label={s.label}
            detail={s.detail}
            state={states.iteration[i] ?? "skipped"}
          />
        ))}
      </ol>
      <ol aria-label="After the last iteration" className="grid gap-2 lg:grid-cols-5">
        <Step
          label="Held-out test"
          detail="baseline and best prompt on the test split"
          state={states.final}
        />
      </ol>
    </div>
  );
}
