// One run, read-only: facts, error, report, iterations and candidates. The durable-runs work extends this
// (live progress, cancel) by adding sections here; each part is its own component.
import { Alert } from "@/components/ui/alert";
import { Section } from "@/components/ui/page";
import type { ProjectRunDetail } from "@/lib/services/run-reads";
import { RunCandidates } from "./run-candidates";
import { RunFacts } from "./run-facts";
import { RunIterations } from "./run-iterations";
import { RunReport } from "./run-report";

export function RunDetail({ project, run }: { project: string; run: ProjectRunDetail }) {
  const { baselineVersion, bestVersion } = run.references;
  return (
    <>
      {run.error ? (
        <div className="mb-6">
          <Alert tone="error" title={`The run failed${run.failedStep ? ` at step ${run.failedStep}` : ""}`}>
            <pre className="whitespace-pre-wrap break-words font-sans">{run.error}</pre>
          </Alert>
        </div>
      ) : null}
      <Section title="Summary" id="run-summary">
        <RunFacts project={project} run={run} />
      </Section>
      <Section title="Report" id="run-report">
        <RunReport
          score={run.score}
          report={run.report}
          baselineVersion={baselineVersion.version}
          bestVersion={bestVersion?.version ?? null}
        />
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
