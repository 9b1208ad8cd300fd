"use client";

// The serving model (a model configuration of the project, the offline simulator, or any
// "provider:model" id; empty: the project's default) and the model parameters, as typed.
import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { type DraftProblems, type EditorDraft, PARAM_FIELDS, type ParamName } from "./editor-model";

const DEFAULT = "";
const CUSTOM = "custom:";
/** The offline simulator (lib/llm/sim), always available. */
export const SIM_MODELS = ["sim:default"];

export function ModelFields({
  idPrefix,
  draft,
  onChange,
  modelConfigs,
  problems,
  serverErrors,
}: {
  idPrefix: string;
  draft: EditorDraft;
  onChange: (patch: Partial<EditorDraft>) => void;
  modelConfigs: { name: string; model: string }[];
  problems: DraftProblems["params"];
  /** Messages from the server by body field ("model", "params.temperature"). */
  serverErrors: Record<string, string>;
}) {
  const known = new Set([DEFAULT, ...modelConfigs.map((c) => c.name), ...SIM_MODELS]);
  const [custom, setCustom] = useState(!known.has(draft.model));
  const choice = custom ? CUSTOM : draft.model;
  const options = [
    { value: DEFAULT, label: "Project default (sim:default)" },
    ...modelConfigs.map((c) => ({ value: c.name, label: `${c.name} (${c.model})` })),
    ...SIM_MODELS.map((m) => ({ value: m, label: `${m} (offline simulator)` })),
    { value: CUSTOM, label: "Another model: provider:model id…" },
  ];
  const setParam = (name: ParamName, value: string) =>
    onChange({ params: { ...draft.params, [name]: value } });
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          id={`${idPrefix}-model`}
          label="Serving model"
          value={choice}
          options={options}
          onChange={(e) => {
            const value = e.target.value;
            setCustom(value === CUSTOM);
            onChange({ model: value === CUSTOM ? "" : value });
          }}
          hint="What the serving API generates with (POST …/generate). Runs pick their own model."
          error={custom ? undefined : serverErrors.model}
        />
        {custom ? (
          <TextField
            id={`${idPrefix}-model-id`}
            label="Model id"
            placeholder="openai:gpt-4o-mini"
            value={draft.model}
            onChange={(e) => onChange({ model: e.target.value })}
            hint="provider:model"
            error={serverErrors.model}
          />
        ) : null}
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {PARAM_FIELDS.map((field) => (
          <TextField
            key={field.name}
            id={`${idPrefix}-param-${field.name}`}
            label={field.label}
            inputMode={field.integer ? "numeric" : "decimal"}
            placeholder="default"
            value={draft.params[field.name]}
            onChange={(e) => setParam(field.name, e.target.value)}
            hint={field.hint}
            error={problems[field.name] ?? serverErrors[`params.${field.name}`]}
          />
        ))}
      </div>
    </div>
  );
}
