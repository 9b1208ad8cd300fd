// Where a prompt version came from, as text (the colour only repeats it).
import type { PromptSource } from "@/lib/validation/prompts";

const STYLES: Record<PromptSource, string> = {
  file: "bg-slate-100 text-slate-700",
  optimization: "bg-indigo-100 text-indigo-800",
  manual: "bg-amber-100 text-amber-900",
};

export function SourceBadge({ source }: { source: PromptSource }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STYLES[source] ?? STYLES.file}`}>
      {source}
    </span>
  );
}
