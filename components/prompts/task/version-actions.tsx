"use client";

// What can be done with one version: write a new version from it, duplicate it, evaluate or optimize it
// (the run form, preselected), export it as a task file for the CLI.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { SaveAsTemplate } from "@/components/templates/save-as-template";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/http/client";
import { taskApiPath, useTaskCall } from "../task-api";

const LINK =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100";

export function VersionActions({
  project,
  task,
  version,
  canEdit,
}: {
  project: string;
  task: string;
  version: number;
  canEdit: boolean;
}) {
  const router = useRouter();
  const base = `/projects/${project}/prompts/${encodeURIComponent(task)}`;
  const runForm = `/projects/${project}/runs/new?task=${encodeURIComponent(task)}&version=${version}`;
  const duplicate = useTaskCall<void, { version: number }>(
    project,
    task,
    () => ({ method: "POST", path: `/versions/${version}/duplicate` }),
    { onSuccess: (saved) => router.push(`${base}?version=${saved.version}`) },
  );
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {canEdit ? (
          <>
            <Link href={`${base}/edit?from=${version}`} className={LINK}>
              Edit as new version
            </Link>
            <Button
              variant="secondary"
              className="py-1.5"
              pending={duplicate.isPending}
              onClick={() => duplicate.mutate()}
            >
              Duplicate
            </Button>
            <Link href={`${runForm}&purpose=evaluate`} className={LINK}>
              Evaluate
            </Link>
            <Link href={runForm} className={LINK}>
              Optimize
            </Link>
            <SaveAsTemplate project={project} task={task} version={version} />
            <Link
              href={`/projects/${project}/playground?task=${encodeURIComponent(task)}&version=${version}`}
              className={LINK}
            >
              Open in playground
            </Link>
          </>
        ) : null}
        <a href={taskApiPath(project, task, `/versions/${version}/task-file`)} className={LINK} download>
          Export task file
        </a>
      </div>
      {duplicate.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(duplicate.error)}
        </p>
      ) : null}
    </div>
  );
}
