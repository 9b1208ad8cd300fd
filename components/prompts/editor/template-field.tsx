"use client";

// A prompt template field with its `{{variables}}` highlighted as you type: a transparent textarea laid
// over a mirror of its text (same font, padding and wrapping, one grid cell, so both grow together and
// no scroll has to be synced). Declared variables are marked in indigo, undeclared ones in red with a
// wavy underline; the list under the field says the same in words, with a button that declares them.
// Only the output prompt is a template: in the system prompt a `{{…}}` stays as written, which the
// field marks in amber and says.
import { Fragment } from "react";
import { templateVariables } from "@/lib/core/template";

/** The text cut into plain parts and `{{variable}}` parts, each keyed by its offset. */
export function templatePieces(text: string): { offset: number; text: string; variable: string | null }[] {
  const out: { offset: number; text: string; variable: string | null }[] = [];
  let offset = 0;
  for (const part of text.split(/(\{\{\s*[A-Za-z_][\w.-]*\s*\}\})/g)) {
    if (part) {
      const variable = /^\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}$/.exec(part)?.[1] ?? null;
      out.push({ offset, text: part, variable });
    }
    offset += part.length;
  }
  return out;
}

const SHARED =
  "col-start-1 row-start-1 m-0 min-h-24 w-full whitespace-pre-wrap break-words rounded-md border p-3 font-mono text-sm leading-relaxed";

export function TemplateField({
  id,
  label,
  hint,
  value,
  onChange,
  declared,
  unknown,
  onDeclare,
  error,
  rows = 4,
  templated = true,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  /** Names in the variables table. */
  declared: Set<string>;
  /** Names this field uses that the table lacks. */
  unknown: string[];
  onDeclare: (names: string[]) => void;
  /** A message from the server about this field. */
  error?: string;
  rows?: number;
  /** False: the text is sent as written (the system prompt); `{{…}}` in it is flagged as literal. */
  templated?: boolean;
}) {
  const literal = templated ? [] : templateVariables(value);
  const flagged = unknown.length > 0 || literal.length > 0;
  const describedBy = [`${id}-hint`, flagged ? `${id}-variables` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="grid">
        <pre aria-hidden="true" className={`${SHARED} border-transparent bg-slate-50 text-slate-900`}>
          {templatePieces(value).map((piece) =>
            piece.variable === null ? (
              <Fragment key={piece.offset}>{piece.text}</Fragment>
            ) : !templated ? (
              <mark key={piece.offset} className="rounded-sm bg-amber-100 text-amber-900">
                {piece.text}
              </mark>
            ) : declared.has(piece.variable) ? (
              <mark key={piece.offset} className="rounded-sm bg-indigo-100 text-indigo-900">
                {piece.text}
              </mark>
            ) : (
              <mark
                key={piece.offset}
                data-unknown-variable={piece.variable}
                className="rounded-sm bg-red-100 text-red-900 underline decoration-red-600 decoration-wavy"
              >
                {piece.text}
              </mark>
            ),
          )}
          {/* A final newline in a <pre> adds no line of its own; the textarea shows one. */}
          {value.endsWith("\n") || value === "" ? " " : null}
        </pre>
        <textarea
          id={id}
          value={value}
          rows={rows}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={unknown.length || error ? true : undefined}
          aria-describedby={describedBy}
          className={`${SHARED} resize-none overflow-hidden bg-transparent text-transparent caret-slate-900 [field-sizing:content] selection:bg-indigo-200 selection:text-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 ${unknown.length || error ? "border-red-500" : "border-slate-300"}`}
        />
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {hint}
      </p>
      {literal.length ? (
        <p id={`${id}-variables`} className="text-sm text-amber-800">
          <span aria-hidden="true">⚠ </span>Sent as written:{" "}
          {literal.map((name, i) => (
            <Fragment key={name}>
              {i ? ", " : null}
              <code>{`{{${name}}}`}</code>
            </Fragment>
          ))}{" "}
          {literal.length === 1 ? "is" : "are"} not replaced here; only the output prompt is rendered with
          variables.
        </p>
      ) : null}
      {unknown.length ? (
        <div id={`${id}-variables`} className="flex flex-wrap items-center gap-2 text-sm text-red-700">
          <span>
            Not in the variables table:{" "}
            {unknown.map((name, i) => (
              <Fragment key={name}>
                {i ? ", " : null}
                <code>{`{{${name}}}`}</code>
              </Fragment>
            ))}
            .
          </span>
          <button
            type="button"
            onClick={() => onDeclare(unknown)}
            className="rounded border border-red-300 bg-white px-2 py-0.5 text-xs font-medium text-red-800 hover:bg-red-50"
          >
            Add {unknown.length === 1 ? "it" : "them"} to the table
          </button>
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
