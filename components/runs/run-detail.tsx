// One run: live progress and the score chart (client, server-sent events while it runs), facts, error,
// the winner with its diff against the baseline, the report with a link to the per-example results,
// iterations and candidates. Each part is its own component; the live part refreshes the rest when the
// run ends.
import Link from "next/link";
import { ResumeButton } from "@/components/jobs/resume-button";
import { Alert } from "@/components/ui/alert";
import { Section } from "@/components/ui/page";
import type { ProjectRunDetail } from "@/lib/services/runs/reads";
import { LiveRun } from "./live-run";
import { candidatesPerIterationOf, liveIterations, maxIterationsOf } from "./live-state";
import { QualityCostPareto } from "./quality-cost-pareto";
import { RunCandidates } from "./run-candidates";
import { RunFacts } from "./run-facts";
import { RunIterations } from "./run-iterations";
import { RunReport } from "./run-report";
import { RunWinner } from "./run-winner";

export function RunDetail({
  project,
  run,
  canEdit,
  winnerLabels = [],
}: {
  project: string;
  run: ProjectRunDetail;
  canEdit: boolean;
  /** Labels on the saved winner's version. */
  winnerLabels?: string[];
}) {
  const { baselineVersion, bestVersion } = run.references;
  const resumable = canEdit && (run.status === "failed" || run.status === "cancelled");
  return (
    <>
      {run.error ? (
        <div className="mb-6">
          <Alert tone="error" title={`The run failed${run.failedStep ? ` at step ${run.failedStep}` : ""}`}>
            <pre className="whitespace-pre-wrap break-words font-sans">{run.error}</pre>
          </Alert>
        </div>
      ) : null}
      {resumable ? (
        <div className="mb-6 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
          <p>
            The run {run.status === "failed" ? "failed" : "was cancelled"}. Resuming continues it from its
            last finished step; finished steps are not paid for again.
          </p>
          <ResumeButton project={project} kind="run" id={run.id} />
        </div>
      ) : null}
      <LiveRun
        project={project}
        runId={run.id}
        kind={run.kind}
        status={run.status}
        progress={run.progress}
        totals={{
          calls: run.calls,
          inputTokens: run.inputTokens,
          outputTokens: run.outputTokens,
          costUsd: run.costUsd,
        }}
        iterations={liveIterations(run.iterations, run.candidates)}
        maxIterations={maxIterationsOf(run.config)}
        candidatesPerIteration={candidatesPerIterationOf(run.config)}
        runner={run.runner}
        canEdit={canEdit}
      />
      <Section title="Summary" id="run-summary">
        <RunFacts project={project} run={run} />
      </Section>
      {run.kind === "optimize" && run.report ? (
        <Section title="Winner" id="run-winner">
          <RunWinner project={project} run={run} canEdit={canEdit} labels={winnerLabels} />
        </Section>
      ) : null}
      <Section title="Report" id="run-report">
        <RunReport
          status={run.status}
          score={run.score}
          report={run.report}
          baselineVersion={baselineVersion.version}
          bestVersion={
            run.winner.saved
              ? run.winner.version
              : run.winner.available
                ? null
                : (bestVersion?.version ?? null)
          }
        />
        <QualityCostPareto
          report={run.report}
          save={canEdit ? { project, task: run.taskName, runId: run.id } : null}
        />
        {run.report ? (
          <p className="mt-4 text-sm">
            <Link
              href={`/projects/${project}/runs/${run.id}/results`}
              className="text-indigo-700 hover:underline"
            >
              {run.kind === "optimize"
                ? "Per-example results on the held-out test split: baseline against the winner"
                : "Per-example results"}
              <span aria-hidden="true"> →</span>
            </Link>
          </p>
        ) : null}
      </Section>
      {run.kind === "optimize" ? (
        <>
          <Section title={`Iterations (${run.iterations.length})`} id="run-iterations">
            <RunIterations iterations={run.iterations} candidates={run.candidates} />
          </Section>
          <Section title={`Candidates (${run.candidates.length})`} id="run-candidates">
            <RunCandidates candidates={run.candidates} />
          </Section>
        </>
      ) : null}
    </>
  );
}
