// Next.js calls register() once when a server instance starts. With the embedded runner, optimization
// runs and batches the app left queued or running (a crash, a restart, a deploy) continue from their
// last finished step. Server (Node.js) runtime only: the edge runtime has no database driver, and the
// import stays inside the check so that the edge bundle never includes it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { resumeUnfinishedRuns } = await import("./lib/services/runs");
    try {
      const { runner, resumed } = await resumeUnfinishedRuns();
      if (resumed.length > 0)
        console.log(`[strop runner] ${runner}: resuming ${resumed.length} unfinished run(s)`);
    } catch (error) {
      console.error("[strop runner] could not resume unfinished runs:", error);
    }
    // Batches too: each continues with its rows not done yet.
    const { resumeUnfinishedBatches } = await import("./lib/services/batch-execution");
    try {
      const { runner, resumed } = await resumeUnfinishedBatches();
      if (resumed.length > 0)
        console.log(`[strop runner] ${runner}: resuming ${resumed.length} unfinished batch(es)`);
    } catch (error) {
      console.error("[strop runner] could not resume unfinished batches:", error);
    }
  }
}
