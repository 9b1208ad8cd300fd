// The audit log's entries as a list that wraps on any width (a six-column table did not fit its card):
// what happened in words, who did it from where, and each changed field as "before → after".
import { Time } from "@/components/ui/page";
import { type AuditEntryView, auditFieldChanges } from "@/lib/services/audit-log";
import { auditActionLabel, PROJECT_AUDIT_FAMILIES } from "@/lib/validation/audit-actions";

const families: Record<string, string> = PROJECT_AUDIT_FAMILIES;

function actionTitle(action: string): string {
  const family = families[action.slice(0, action.indexOf("."))];
  return family ? `${family} · ${auditActionLabel(action)}` : action;
}

function actorText(actor: AuditEntryView["actor"]): string {
  if (actor.type === "api_key") return `API key ${actor.label}`;
  if (actor.type === "anonymous") return "someone not signed in";
  if (actor.type === "system") return `Strop (${actor.label})`;
  return actor.label;
}

function Changes({ entry }: { entry: AuditEntryView }) {
  const changes = auditFieldChanges(entry.before, entry.after);
  if (changes.length === 0) return null;
  return (
    <dl className="mt-2 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
      {changes.map((change) => (
        <div key={change.field} className="contents">
          <dt className="font-medium text-slate-600">{change.label}</dt>
          <dd className="min-w-0 break-words text-slate-800">
            {!change.changed ? (
              <span>{change.after}</span>
            ) : change.before === null ? (
              <ins className="no-underline">{change.after}</ins>
            ) : change.after === null ? (
              <del className="text-slate-500">{change.before}</del>
            ) : (
              <>
                <del className="text-slate-500">{change.before}</del>
                <span aria-hidden="true"> → </span>
                <span className="sr-only"> changed to </span>
                <ins className="font-medium no-underline">{change.after}</ins>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditEntryList({ entries }: { entries: AuditEntryView[] }) {
  return (
    <ol className="divide-y divide-slate-100">
      {entries.map((entry) => (
        <li key={entry.id} className="py-3 first:pt-0 last:pb-0">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <p className="min-w-0 break-words text-sm font-medium text-slate-900">
              {actionTitle(entry.action)}
              {entry.target.label ? (
                <span className="font-normal text-slate-700">: {entry.target.label}</span>
              ) : null}
            </p>
            <p className="shrink-0 text-xs text-slate-500">
              <Time value={entry.createdAt} />
            </p>
          </div>
          <p className="mt-0.5 break-words text-xs text-slate-600">
            by <span className="font-medium text-slate-800">{actorText(entry.actor)}</span>
            {entry.ip ? <> from {entry.ip}</> : null}
            <span className="ml-2 font-mono text-slate-500">{entry.action}</span>
          </p>
          <Changes entry={entry} />
        </li>
      ))}
    </ol>
  );
}
