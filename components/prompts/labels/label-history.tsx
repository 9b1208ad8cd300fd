// The task's label history, newest first: who changed which label, from which version to which, why,
// the evaluation the change cites and the change request that carried it. Append-only: nothing in it is
// ever edited or removed.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { LabelAction } from "@/lib/validation/prompt-labels";

export interface LabelHistoryEntry {
  id: string;
  label: string;
  action: LabelAction;
  fromVersion: number | null;
  toVersion: number | null;
  actor: { type: string; label: string };
  reason: string;
  evaluationRunId: string | null;
  changeRequestId: string | null;
  createdAt: Date | string;
}

const ACTIONS: Record<LabelAction, string> = {
  added: "added",
  moved: "moved",
  rolled_back: "rolled back",
  removed: "removed",
  protected: "protected",
  unprotected: "unprotected",
};

export function LabelHistory({
  project,
  task,
  events,
}: {
  project: string;
  task: string;
  events: LabelHistoryEntry[];
}) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No label has been set yet.</p>;
  const version = (v: number | null) =>
    v === null ? (
      <span className="text-slate-400">–</span>
    ) : (
      <Link
        href={`/projects/${project}/prompts/${encodeURIComponent(task)}?version=${v}`}
        className="text-indigo-700 hover:underline"
      >
        v{v}
      </Link>
    );
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Label history, newest first</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3">
              When
            </th>
            <th scope="col" className="py-2 pr-3">
              Label
            </th>
            <th scope="col" className="py-2 pr-3">
              Change
            </th>
            <th scope="col" className="py-2 pr-3">
              Who
            </th>
            <th scope="col" className="py-2 pr-3">
              Why
            </th>
            <th scope="col" className="py-2">
              Evidence
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((event) => (
            <tr key={event.id} className="align-top" data-action={event.action}>
              <td className="whitespace-nowrap py-2 pr-3 text-slate-600">
                <Time value={event.createdAt} />
              </td>
              <td className="py-2 pr-3">
                <code className="font-semibold">{event.label}</code>
              </td>
              <td className="whitespace-nowrap py-2 pr-3">
                {ACTIONS[event.action]}{" "}
                {event.action === "protected" || event.action === "unprotected" ? (
                  <>at {version(event.toVersion ?? event.fromVersion)}</>
                ) : (
                  <>
                    {version(event.fromVersion)}
                    <span aria-hidden="true"> → </span>
                    <span className="sr-only"> to </span>
                    {version(event.toVersion)}
                  </>
                )}
              </td>
              <td className="py-2 pr-3">
                {event.actor.label}
                {event.actor.type !== "user" ? (
                  <span className="text-xs text-slate-500"> ({event.actor.type.replace("_", " ")})</span>
                ) : null}
              </td>
              <td className="max-w-xs py-2 pr-3 break-words text-slate-700">{event.reason || "–"}</td>
              <td className="py-2 text-xs">
                {event.evaluationRunId ? (
                  <Link
                    href={`/projects/${project}/runs/${event.evaluationRunId}`}
                    className="block text-indigo-700 hover:underline"
                  >
                    run {event.evaluationRunId.slice(0, 8)}
                  </Link>
                ) : null}
                {event.changeRequestId ? (
                  <span className="block text-slate-600">
                    change request {event.changeRequestId.slice(0, 8)}
                  </span>
                ) : null}
                {!event.evaluationRunId && !event.changeRequestId ? (
                  <span className="text-slate-400">–</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
