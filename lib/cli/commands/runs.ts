// `strop runs list|show|resume|cancel`: the operator's view of runs, through the same services as the
// API (lib/services/operator.ts gives the CLI owner access to the project a run belongs to).
import { actorOf } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { getDb } from "@/lib/services/database";
import { operatorAccess, operatorAccessToRun } from "@/lib/services/operator";
import { getProjectRun, listProjectRuns } from "@/lib/services/runs/reads";
import type { RunScore } from "@/lib/validation/runs";
import { intFlag, type ParsedArgs, projectFlag } from "../args";
import { dim, duration, interval, pct, table } from "../format";
import { optimizationSummary } from "../report";

function score(value: RunScore | null): string {
  if (value?.kind === "optimize") return `${pct(value.baseline.mean)} → ${pct(value.best.mean)}`;
  if (value?.kind === "eval") return pct(value.score.mean);
  return "-";
}

export async function runsCommand(args: ParsedArgs): Promise<number> {
  const [action, id] = args.positionals;
  const db = await getDb();
  if (action === "list" || action === undefined) {
    const access = await operatorAccess(db, projectFlag(args));
    const { items: runs } = await listProjectRuns(db, access, { limit: intFlag(args, "limit") ?? 20 });
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
          score(r.score),
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
    const run = await getProjectRun(db, await operatorAccessToRun(db, id), id);
    if (args.flags.json) {
      console.log(JSON.stringify(run, null, 2));
      return 0;
    }
    const { report } = run;
    console.log(dim(`${run.kind} of task "${run.taskName}" · ${run.status} · seed ${run.seed}`));
    if (run.error) console.log(`error: ${run.error}${run.failedStep ? ` (step ${run.failedStep})` : ""}`);
    if (report?.kind === "optimize") console.log(optimizationSummary(report, run.id, null));
    else if (report?.kind === "eval") console.log(`score ${interval(report.score)}`);
    else console.log(dim("no report yet"));
    return 0;
  }
  if (action === "resume") {
    // Continues a queued or running run (one whose process stopped), or a failed or cancelled one, from
    // its last finished step, here.
    if (!id) throw new InputError("name a run: `strop runs resume <run-id>`");
    const access = await operatorAccessToRun(db, id);
    const { executeRunHere, settledOutcome } = await import("@/lib/services/runs/task-files");
    const { reopenStoppedRun } = await import("@/lib/services/job-resume");
    const audit = { actor: actorOf(access.principal), organizationId: access.project.organization.id };
    if (await reopenStoppedRun(db, id, audit)) process.stderr.write(`run ${id} resumed\n`);
    const outcome = settledOutcome(await executeRunHere(db, id));
    if (args.flags.json) console.log(JSON.stringify(outcome, null, 2));
    else if (outcome.report.kind === "optimize")
      console.log(optimizationSummary(outcome.report, id, outcome.savedVersion));
    else console.log(`run ${id} ${outcome.status}`);
    return 0;
  }
  if (action === "cancel") {
    if (!id) throw new InputError("name a run: `strop runs cancel <run-id>`");
    const access = await operatorAccessToRun(db, id);
    const { cancelProjectRun } = await import("@/lib/services/runs/lifecycle");
    const cancelled = await cancelProjectRun(db, access, id, actorOf(access.principal));
    console.log(args.flags.json ? JSON.stringify(cancelled) : `run ${id} cancelled`);
    return 0;
  }
  throw new InputError(`unknown runs action "${action}" (use list, show, resume or cancel)`);
}
