// A prompt shown as it is stored (whitespace kept, long lines wrapped), `{{variables}}` emphasized.
import { Fragment } from "react";

/** The text cut into plain parts and `{{variable}}` parts, each keyed by its offset. */
function pieces(text: string): { offset: number; text: string; variable: boolean }[] {
  const out: { offset: number; text: string; variable: boolean }[] = [];
  let offset = 0;
  for (const part of text.split(/(\{\{\s*[\w.-]+\s*\}\})/g)) {
    if (part) out.push({ offset, text: part, variable: /^\{\{.*\}\}$/.test(part) });
    offset += part.length;
  }
  return out;
}

export function PromptText({ text }: { text: string }) {
  return (
    <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-sm leading-relaxed">
      {text === "" ? (
        <span className="text-slate-500">(empty)</span>
      ) : (
        pieces(text).map((piece) =>
          piece.variable ? (
            <mark key={piece.offset} className="rounded bg-indigo-100 px-0.5 font-semibold text-indigo-900">
              {piece.text}
            </mark>
          ) : (
            <Fragment key={piece.offset}>{piece.text}</Fragment>
          ),
        )
      )}
    </pre>
  );
}
