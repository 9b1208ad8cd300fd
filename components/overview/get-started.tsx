// A new project's path to a first shipped prompt, in the app: each step links to where it is done and
// is ticked once the project has what it makes. The CLI is mentioned last, as the other way in.
import Link from "next/link";
import type { ProjectCounts } from "@/lib/services/overview";

export function GetStarted({
  project,
  counts,
  canEdit,
  canAdmin,
}: {
  project: string;
  counts: ProjectCounts;
  canEdit: boolean;
  canAdmin: boolean;
}) {
  const base = `/projects/${project}`;
  const link = "text-indigo-700 hover:underline";
  const steps = [
    {
      id: "task",
      done: counts.tasks > 0,
      body: canEdit ? (
        <>
          <Link href={`${base}/templates`} className={link}>
            Start from a template
          </Link>{" "}
          (a prompt, an example dataset and metrics, ready to run), or{" "}
          <Link href={`${base}/prompts?new`} className={link}>
            create a task
          </Link>{" "}
          and write its prompt: system and output prompts with <code>{"{{variables}}"}</code>, model
          parameters, few-shot demos.
        </>
      ) : (
        <>
          An editor starts from one of the{" "}
          <Link href={`${base}/templates`} className={link}>
            templates
          </Link>{" "}
          or creates a task and writes its prompt on the Prompts page.
        </>
      ),
    },
    {
      id: "dataset",
      done: counts.datasets > 0,
      body: (
        <>
          {canEdit ? (
            <Link href={`${base}/datasets`} className={link}>
              Upload a dataset
            </Link>
          ) : (
            "A dataset"
          )}{" "}
          of examples: input variables and the expected output (CSV, JSONL or JSON).
        </>
      ),
    },
    {
      id: "run",
      done: counts.runs > 0,
      body: (
        <>
          Evaluate the prompt or optimize it:{" "}
          {canEdit ? (
            <Link href={`${base}/runs/new`} className={link}>
              start a run
            </Link>
          ) : (
            "a run"
          )}{" "}
          (the offline simulator <code>sim:default</code> needs no credentials).
        </>
      ),
    },
    {
      id: "ship",
      done: false,
      body: (
        <>
          Save the winner, label it <code>staging</code> or <code>production</code> on its task&apos;s page,
          and fetch it from your application with{" "}
          {canAdmin ? (
            <Link href={`${base}/api-keys`} className={link}>
              an API key
            </Link>
          ) : (
            "an API key"
          )}
          : <code>GET /api/v1/projects/{project}/prompts/&lt;task&gt;</code>.
        </>
      ),
    },
  ];
  return (
    <>
      <ol className="space-y-2 text-sm text-slate-700" aria-label="Steps to a first prompt in production">
        {steps.map((step, i) => (
          <li key={step.id} className="flex gap-2">
            <span
              aria-hidden="true"
              className={`flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${step.done ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-600"}`}
            >
              {step.done ? "✓" : i + 1}
            </span>
            <span>
              {step.done ? <span className="sr-only">Done: </span> : null}
              {step.body}
            </span>
          </li>
        ))}
      </ol>
      <p className="mt-3 text-xs text-slate-500">
        Or from the command line: <code>npm run strop -- optimize examples/sentiment/task.yaml</code> (CLI
        runs land in the project <code>default</code> unless you pass <code>--project</code>).
      </p>
    </>
  );
}
