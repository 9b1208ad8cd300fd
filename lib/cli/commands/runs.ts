import { InputError, NotFoundError } from "@/lib/core/errors";
import type { OptimizationReport } from "@/lib/core/report";
import { ensureProject, getDb, getRun, listRuns } from "@/lib/db";
import { intFlag, type ParsedArgs } from "../args";
import { dim, duration, interval, pct, table } from "../format";
import { optimizationSummary } from "../report";

function score(report: unknown): string {
  const r = report as Partial<OptimizationReport> & { score?: { mean: number } };
  if (r?.test) return `${pct(r.test.baseline.mean)} → ${pct(r.test.best.mean)}`;
  if (r?.score) return pct(r.score.mean);
  return "-";
}

export async function runsCommand(args: ParsedArgs): Promise<number> {
  const [action, id] = args.positionals;
  const db = await getDb();
  if (action === "list" || action === undefined) {
    const project = await ensureProject(db);
    const runs = await listRuns(db, project.id, { limit: intFlag(args, "limit") ?? 20 });
    if (args.flags.json) {
      console.log(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      console.log("No runs yet. Try: npm run demo");
      return 0;
    }
    console.log(
      table(
        ["id", "task", "kind", "status", "test score", "calls", "started", "took"],
        runs.map((r) => [
          r.id,
          r.taskName,
          r.kind,
          r.status,
          score(r.report),
          r.calls,
          r.createdAt.toISOString().slice(0, 19).replace("T", " "),
          r.finishedAt && r.startedAt ? duration(r.finishedAt.getTime() - r.startedAt.getTime()) : "-",
        ]),
      ),
    );
    return 0;
  }
  if (action === "show") {
    if (!id) throw new InputError("name a run: `strop runs show <run-id>`");
    const run = await getRun(db, id);
    if (!run) throw new NotFoundError(`no run with id "${id}"`);
    if (args.flags.json) {
      console.log(JSON.stringify(run, null, 2));
      return 0;
    }
    const report = run.report as (OptimizationReport & { score?: never }) | null;
    console.log(dim(`${run.kind} of task "${run.taskName}" · ${run.status} · seed ${run.seed}`));
    if (run.error) console.log(`error: ${run.error}${run.failedStep ? ` (step ${run.failedStep})` : ""}`);
    if (report && run.kind === "optimize") console.log(optimizationSummary(report, run.id, null));
    else if (report)
      console.log(
        `score ${interval((report as unknown as { score: OptimizationReport["test"]["best"] }).score)}`,
      );
    else console.log(dim("no report yet"));
    return 0;
  }
  if (action === "resume") {
    // Continues a queued or running run (one whose process stopped), or a failed or cancelled one, from
    // its last finished step, here.
    if (!id) throw new InputError("name a run: `strop runs resume <run-id>`");
    const { executeRunHere, settledOutcome } = await import("@/lib/services/optimization");
    const { reopenStoppedRun } = await import("@/lib/services/job-resume");
    if (await reopenStoppedRun(db, id)) process.stderr.write(`run ${id} resumed\n`);
    const outcome = settledOutcome(await executeRunHere(db, id));
    if (args.flags.json) console.log(JSON.stringify(outcome, null, 2));
    else if (outcome.kind === "optimize")
      console.log(optimizationSummary(outcome.report as OptimizationReport, id, outcome.savedVersion));
    else console.log(`run ${id} ${outcome.status}`);
    return 0;
  }
  if (action === "cancel") {
    if (!id) throw new InputError("name a run: `strop runs cancel <run-id>`");
    const { cancelOptimizationRun } = await import("@/lib/services/runs");
    const cancelled = await cancelOptimizationRun(db, id);
    console.log(args.flags.json ? JSON.stringify(cancelled) : `run ${id} cancelled`);
    return 0;
  }
  throw new InputError(`unknown runs action "${action}" (use list, show, resume or cancel)`);
}
