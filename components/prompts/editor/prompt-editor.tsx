"use client";

// The prompt editor (editors): system and output prompts with `{{variables}}` highlighted and checked
// against the variables table as you type, the table itself, the serving model and its parameters,
// few-shot demos, and a message. Saving never changes a version: it creates the task with its first
// version (POST …/prompts) or a new version of it (POST …/prompts/{name}/versions), then opens it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Fieldset } from "@/components/ui/fieldset";
import { templateVariables } from "@/lib/core/template";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { DemosEditor } from "./demos-editor";
import {
  draftFromVersion,
  draftProblems,
  type EditorDraft,
  type EditorSource,
  emptyDraft,
  emptyVariable,
  hasProblems,
  versionBody,
} from "./editor-model";
import { ModelFields } from "./model-fields";
import { TemplateField } from "./template-field";
import { VariablesTable } from "./variables-table";

type Saved = { version: number };

export type EditorTarget =
  /** A new task and its first version. */
  | { kind: "task" }
  /** A new version of the task `name`, starting from `basedOn` (a version number) or from scratch. */
  | { kind: "version"; name: string; basedOn: number | null };

/** The server's messages by body field, with the new task's `version.` prefix taken off. */
function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fieldErrors)) {
    const field = path.replace(/^version\./, "");
    out[field] ??= message;
    const top = field.split(".")[0] as string;
    out[top] ??= message;
  }
  return out;
}

export function PromptEditor({
  project,
  target,
  source,
  modelConfigs,
}: {
  project: string;
  target: EditorTarget;
  /** The version to start from; null: an empty draft. */
  source: EditorSource | null;
  modelConfigs: { name: string; model: string }[];
}) {
  const router = useRouter();
  const alertRef = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<EditorDraft>(() => (source ? draftFromVersion(source) : emptyDraft()));
  const [task, setTask] = useState({ name: "", description: "" });
  const [message, setMessage] = useState("");
  const [blocked, setBlocked] = useState(false);
  const needsMessage = target.kind === "version" && message.trim() === "";
  const patch = (change: Partial<EditorDraft>) => setDraft((d) => ({ ...d, ...change }));

  const problems = useMemo(() => draftProblems(draft), [draft]);
  const declared = useMemo(
    () => new Set(draft.variables.map((v) => v.name.trim()).filter(Boolean)),
    [draft.variables],
  );
  const used = useMemo(() => new Set(templateVariables(draft.outputPrompt)), [draft.outputPrompt]);
  const declare = (names: string[]) =>
    patch({ variables: [...draft.variables, ...names.map((name) => emptyVariable(name))] });

  const save = useMutation({
    mutationFn: async (): Promise<{ name: string; version: number }> => {
      const body = versionBody(draft, message);
      if (target.kind === "task") {
        const created = await apiRequest<{ task: { name: string }; version: Saved | null }>(
          "POST",
          `/api/v1/projects/${project}/prompts`,
          { name: task.name.trim(), description: task.description.trim(), version: body },
        );
        return { name: created.task.name, version: created.version?.version ?? 1 };
      }
      const saved = await apiRequest<Saved>(
        "POST",
        `/api/v1/projects/${project}/prompts/${encodeURIComponent(target.name)}/versions`,
        body,
      );
      return { name: target.name, version: saved.version };
    },
    onSuccess: ({ name, version }) => {
      router.push(`/projects/${project}/prompts/${encodeURIComponent(name)}?version=${version}`);
      router.refresh();
    },
    onError: () => requestAnimationFrame(() => alertRef.current?.focus()),
  });
  const fields = serverFieldErrors(save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (hasProblems(problems) || needsMessage) {
      setBlocked(true);
      requestAnimationFrame(() => alertRef.current?.focus());
      return;
    }
    setBlocked(false);
    save.mutate();
  }

  const id = target.kind === "task" ? "new-task" : "new-version";
  const problemCount =
    problems.unknown.length +
    problems.unused.length +
    Object.keys(problems.rows).length +
    Object.keys(problems.params).length;
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-label={target.kind === "task" ? "New task" : "New version"}
    >
      <div ref={alertRef} tabIndex={-1} className="outline-none">
        {save.isError ? (
          <Alert tone="error" title="Nothing was saved">
            <pre className="whitespace-pre-wrap break-words font-sans">{errorMessage(save.error)}</pre>
          </Alert>
        ) : blocked && (problemCount > 0 || needsMessage) ? (
          <Alert tone="error" title="Fix these first: nothing was saved">
            <ul className="list-inside list-disc">
              {needsMessage ? <li>Write a message: why this version exists.</li> : null}
              {problems.unknown.length ? (
                <li>Not in the variables table: {problems.unknown.map((n) => `{{${n}}}`).join(", ")}</li>
              ) : null}
              {problems.unused.length ? <li>Used by no prompt: {problems.unused.join(", ")}</li> : null}
              {Object.values(problems.rows).map((text) => (
                <li key={text}>{text}</li>
              ))}
              {Object.entries(problems.params).map(([name, text]) => (
                <li key={name}>
                  {name}: {text}
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
      </div>
      {target.kind === "task" ? (
        <Fieldset legend="Task" className="grid gap-3 md:grid-cols-2">
          <TextField
            id={`${id}-name`}
            label="Name"
            value={task.name}
            onChange={(e) => setTask({ ...task, name: e.target.value })}
            hint="How applications fetch it: GET /api/v1/projects/…/prompts/<name>. Letters, digits, - and _."
            error={fields.name}
            required
            autoComplete="off"
          />
          <TextField
            id={`${id}-description`}
            label="Description"
            value={task.description}
            onChange={(e) => setTask({ ...task, description: e.target.value })}
            hint="What the prompt is for (optional)."
            error={fields.description}
          />
        </Fieldset>
      ) : null}
      <Fieldset legend="Prompts" className="space-y-4">
        <TemplateField
          id={`${id}-system`}
          label="System prompt"
          hint="Instructions sent as the system message, as written."
          value={draft.systemPrompt}
          onChange={(systemPrompt) => patch({ systemPrompt })}
          declared={declared}
          unknown={[]}
          onDeclare={declare}
          error={fields.systemPrompt}
          templated={false}
        />
        <TemplateField
          id={`${id}-output`}
          label="Output prompt"
          hint="The user message, rendered per request: {{name}} is replaced by the variable's value."
          value={draft.outputPrompt}
          onChange={(outputPrompt) => patch({ outputPrompt })}
          declared={declared}
          unknown={problems.unknown}
          onDeclare={declare}
          error={fields.outputPrompt}
          rows={6}
        />
      </Fieldset>
      <Fieldset legend="Variables">
        <VariablesTable
          rows={draft.variables}
          onChange={(variables) => patch({ variables })}
          used={used}
          problems={problems.rows}
        />
        {fields.variables ? <p className="mt-2 text-sm text-red-700">{fields.variables}</p> : null}
      </Fieldset>
      <Fieldset legend="Model">
        <ModelFields
          idPrefix={id}
          draft={draft}
          onChange={patch}
          modelConfigs={modelConfigs}
          problems={problems.params}
          serverErrors={fields}
        />
      </Fieldset>
      <Fieldset legend={`Few-shot demos (${draft.demos.length})`}>
        <DemosEditor demos={draft.demos} variables={[...declared]} onChange={(demos) => patch({ demos })} />
        {fields.demos ? <p className="mt-2 text-sm text-red-700">{fields.demos}</p> : null}
      </Fieldset>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <TextField
            id={`${id}-message`}
            label="Message"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder={target.kind === "task" ? "First version" : "What changed and why"}
            hint="Kept with the version, like a commit message."
            error={fields.message ?? (blocked && needsMessage ? "Say why this version exists." : undefined)}
          />
        </div>
        <Button type="submit" pending={save.isPending || save.isSuccess}>
          {target.kind === "task" ? "Create task" : "Save as new version"}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-slate-600" data-testid="editor-status">
        {problemCount === 0
          ? "No problems found."
          : `${problemCount} problem${problemCount === 1 ? "" : "s"} to fix before saving.`}
      </p>
    </form>
  );
}
