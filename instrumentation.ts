// Next.js calls register() once when a server instance starts. With the embedded runner, optimization
// runs and batches the app left queued or running (a crash, a restart, a deploy) continue from their
// last finished step, and a poller takes over the jobs of instances that went away (leases). Server (Node.js) runtime only: the edge runtime has no database driver, and the
// import stays inside the check so that the edge bundle never includes it.
// First of all, every request is stamped with its socket's address (lib/auth/client-address.ts: the
// client address for sign-in limits and the audit log cannot be spoofed with X-Forwarded-For).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // The container image migrates at start (STROP_MIGRATE_ON_START=1): a failed migration stops the
    // instance before it serves a request, where an orchestrator sees it.
    if (process.env.STROP_MIGRATE_ON_START === "1") {
      const { migrateDatabase } = await import("./lib/services/database");
      try {
        const result = await migrateDatabase();
        console.log(`[strop] database migrations: ${result.applied.length} applied`);
      } catch (error) {
        console.error(`[strop] database migration failed: ${(error as Error).message}`);
        process.exit(1);
      }
    }
    // Metrics count from the start: jobs resumed below call providers before any route module loads.
    (await import("./lib/observability/registry")).processMetrics();
    const { installPeerAddressStamp } = await import("./lib/auth/peer-address-stamp");
    installPeerAddressStamp();
    const { securitySettingProblems } = await import("./lib/auth/limit-settings");
    for (const problem of securitySettingProblems()) console.error(`[strop] ${problem}`);
    // A bad STROP_EGRESS_ALLOW would fail every provider call: say so once, at start.
    const { egressPolicyFromEnv } = await import("./lib/llm/egress");
    try {
      egressPolicyFromEnv(process.env);
    } catch (error) {
      console.error(`[strop] ${(error as Error).message}`);
    }
    // Instance secrets kept in the database are in every backup of it: say so where operators look.
    const { secretsFromDatabase } = await import("./lib/auth/secret");
    try {
      const fromDatabase = secretsFromDatabase();
      if (fromDatabase.length > 0)
        console.warn(
          `[strop] security: ${fromDatabase.join(" and ")} ${fromDatabase.length > 1 ? "are" : "is"} kept in ` +
            `the database, where every backup holds ${fromDatabase.length > 1 ? "them" : "it"}: fine for ` +
            "trying Strop, not for production (docs/security.md)",
        );
    } catch (error) {
      console.error(`[strop] ${(error as Error).message}`);
    }
    // Every kind of durable job (lib/services/jobs/registry.ts): with the embedded runner, the app's
    // unfinished jobs continue where they stopped; one another live instance holds (its lease is valid)
    // is left to it, and taken over by the poller if that instance goes away.
    const { jobKind, resumeUnfinishedJobs, startLeasePoller } = await import("./lib/services/jobs");
    try {
      const { runner, kinds } = await resumeUnfinishedJobs();
      for (const [id, { resumed, heldElsewhere }] of Object.entries(kinds)) {
        const noun = jobKind(id).noun;
        if (resumed.length > 0)
          console.log(`[strop runner] ${runner}: resuming ${resumed.length} unfinished ${noun}(s)`);
        if (heldElsewhere.length > 0)
          console.log(
            `[strop runner] ${runner}: resuming ${heldElsewhere.length} unfinished ${noun}(s) once the ` +
              "lease of the process that held them expires (STROP_JOB_LEASE_SECONDS)",
          );
      }
    } catch (error) {
      console.error("[strop runner] could not resume unfinished jobs:", error);
    }
    try {
      startLeasePoller();
    } catch (error) {
      console.error("[strop runner] could not start the lease poller:", (error as Error).message);
    }
    // Every schedule (lib/services/schedules/registry.ts: experiment analyses, the negative-feedback
    // check) ticks here as a timer with the embedded runner; with Inngest, its cron function ticks.
    const { startScheduleTimers } = await import("./lib/services/schedules");
    startScheduleTimers();
  }
}
