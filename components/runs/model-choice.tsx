"use client";

// The task or optimizer model of a run: a model configuration of the project, an offline simulator
// model, or any "provider:model" id typed in.
import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import type { StartRunChoices } from "./start-run-form";

export const CUSTOM = "custom";

export function ModelChoice({
  id,
  label,
  path,
  choices,
  error,
  defaultValue,
}: {
  id: string;
  label: string;
  path: string;
  choices: StartRunChoices;
  error?: string;
  defaultValue: string;
}) {
  const [choice, setChoice] = useState(defaultValue);
  const options = [
    ...choices.modelConfigs.map((c) => ({ value: `config:${c.name}`, label: `${c.name} (${c.model})` })),
    ...choices.simModels.map((m) => ({ value: `id:${m}`, label: `${m} (offline simulator)` })),
    { value: CUSTOM, label: "Another model: provider:model id…" },
  ];
  return (
    <div className="space-y-2" data-path={path}>
      <SelectField
        id={id}
        name={`${id}-choice`}
        label={label}
        options={options}
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        error={choice === CUSTOM ? undefined : error}
        hint="A model configuration of the project (Settings), or a model id."
      />
      {choice === CUSTOM ? (
        <TextField
          id={`${id}-id`}
          name={`${id}-id`}
          label={`${label} id`}
          placeholder="openai:gpt-4o-mini"
          error={error}
          required
        />
      ) : null}
    </div>
  );
}

/** The model a ModelChoice names: a configuration's name or a "provider:model" id. */
export function modelRef(form: FormData, id: string): string {
  const choice = String(form.get(`${id}-choice`) ?? "");
  if (choice === CUSTOM) return String(form.get(`${id}-id`) ?? "").trim();
  return choice.replace(/^(config|id):/, "");
}
