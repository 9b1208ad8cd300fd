// A project's model or metric configurations on the settings page: each with what it holds, when and by
// whom it last changed, and (for editors) its edit form and delete button; then a form for a new one.
import type { ReactNode } from "react";
import { DeleteConfigButton } from "@/components/settings/delete-config-button";
import { EmptyState, Time } from "@/components/ui/page";

/** A collapsed block whose summary line opens it. */
export function Details({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="mt-3 rounded-md border border-slate-200 p-3">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700">{summary}</summary>
      <div className="mt-3">{children}</div>
    </details>
  );
}

interface ConfigItem {
  name: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export function ConfigList<T extends ConfigItem>({
  project,
  collection,
  noun,
  items,
  canEdit,
  lines,
  form,
}: {
  project: string;
  collection: "model-configs" | "metric-configs";
  /** As headings name one: "model configuration". */
  noun: string;
  items: T[];
  canEdit: boolean;
  /** The lines under the item's name. */
  lines: (item: T) => ReactNode;
  /** The edit form of `item`, or the form for a new one. */
  form: (item?: T) => ReactNode;
}) {
  return (
    <>
      {items.length === 0 ? (
        <EmptyState title={`No ${noun}s yet`}>
          {canEdit ? "Add one below." : "Editors can add them."}
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {items.map((item) => (
            <li key={item.name} className="rounded-md border border-slate-200 p-4">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div>
                  <h3 className="font-medium">{item.name}</h3>
                  {lines(item)}
                  <p className="text-xs text-slate-500">
                    Updated <Time value={item.updatedAt} />
                    {item.updatedBy ? ` by ${item.updatedBy}` : ""}
                  </p>
                </div>
                {canEdit ? (
                  <DeleteConfigButton project={project} collection={collection} name={item.name} />
                ) : null}
              </div>
              {canEdit ? <Details summary={`Edit ${item.name}`}>{form(item)}</Details> : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? <Details summary={`New ${noun}`}>{form()}</Details> : null}
    </>
  );
}
