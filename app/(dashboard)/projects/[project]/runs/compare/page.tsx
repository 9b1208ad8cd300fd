import type { Metadata } from "next";
import Link from "next/link";
import { RefreshWhileActive } from "@/components/batches/refresh-while-active";
import { RunComparison } from "@/components/runs/run-comparison";
import { ScoreSpendChart } from "@/components/runs/score-spend-chart";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { InputError } from "@/lib/core/errors";
import { type ComparedRun, comparedRunIds, compareProjectRuns } from "@/lib/services/runs/compare";

export const metadata: Metadata = { title: "Compare runs" };

export default async function CompareRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { project: slug } = await params;
  const ids = comparedRunIds((await searchParams).ids);
  const { db, access } = await requireProjectPage(
    slug,
    `/projects/${slug}/runs/compare?ids=${ids.join(",")}`,
  );
  let runs: ComparedRun[] | null = null;
  let problem: string | null = null;
  try {
    runs = await compareProjectRuns(db, access, ids);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problem = error.message.replace(/^ids: /, "");
  }
  return (
    <>
      <BackLink href={`/projects/${slug}/runs`}>Runs</BackLink>
      <PageHeader
        title="Compare runs"
        description="Held-out scores, what each run spent and the prompt it ended with, side by side."
      />
      {runs ? (
        <>
          {/* Runs just started from the form are still going: the page follows them until they end. */}
          <RefreshWhileActive
            active={runs.some((c) => c.run.status === "queued" || c.run.status === "running")}
          />
          <Section title="Held-out score against spend">
            <ScoreSpendChart runs={runs} />
          </Section>
          <Section title={`${runs.length} runs`} id="compared-runs">
            <RunComparison project={slug} runs={runs} />
          </Section>
        </>
      ) : (
        <EmptyState title="Nothing to compare">
          <p>
            {`${problem}. `}
            <Link href={`/projects/${slug}/runs`} className="text-indigo-700 underline">
              Select runs in the runs list
            </Link>{" "}
            and press Compare selected runs.
          </p>
        </EmptyState>
      )}
    </>
  );
}
