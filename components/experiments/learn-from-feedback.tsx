"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

interface DatasetResult {
  datasetId: string;
  datasetName: string;
  version: number;
  rowCount: number;
  created: boolean;
}

/** Corrections → a dataset version; "optimize from feedback" → a run on it from the label's version. */
export function LearnFromFeedback({ project, experiment }: { project: string; experiment: string }) {
  const base = `/api/v1/projects/${project}/experiments/${experiment}`;
  const dataset = useMutation({
    mutationFn: () => apiRequest<DatasetResult>("POST", `${base}/dataset-from-feedback`),
  });
  const optimize = useMutation({
    mutationFn: () => apiRequest<{ runId: string }>("POST", `${base}/optimize-from-feedback`, {}),
  });
  const busy = dataset.isPending || optimize.isPending;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        Corrections people sent become examples (the answer's inputs, the corrected output) of the dataset{" "}
        <code>feedback-…</code>; an optimization run can then start from the version the label serves now.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          pending={dataset.isPending}
          disabled={busy}
          onClick={() => dataset.mutate()}
        >
          Build a dataset from corrections
        </Button>
        <Button pending={optimize.isPending} disabled={busy} onClick={() => optimize.mutate()}>
          Optimize from feedback
        </Button>
      </div>
      {dataset.isError ? <Alert tone="error">{errorMessage(dataset.error)}</Alert> : null}
      {optimize.isError ? <Alert tone="error">{errorMessage(optimize.error)}</Alert> : null}
      {dataset.data ? (
        <Alert tone="success">
          {dataset.data.created ? "New version" : "Unchanged: version"} {dataset.data.version} of{" "}
          <Link className="underline" href={`/projects/${project}/datasets/${dataset.data.datasetId}`}>
            {dataset.data.datasetName}
          </Link>{" "}
          with {dataset.data.rowCount} example{dataset.data.rowCount === 1 ? "" : "s"}.
        </Alert>
      ) : null}
      {optimize.data ? (
        <Alert tone="success">
          <Link className="underline" href={`/projects/${project}/runs/${optimize.data.runId}`}>
            The optimization run
          </Link>{" "}
          has started.
        </Alert>
      ) : null}
    </div>
  );
}
