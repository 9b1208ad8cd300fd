// Optimization and evaluation runs: starting one from a run spec (create.ts) or a task file
// (task-files.ts: `strop optimize|eval`), cancelling, saving the winner and resuming (lifecycle.ts),
// reading runs (reads.ts) and their per-example results (results.ts); what a run needs to execute
// (context.ts). Execution itself: ../run-execution.ts, one path for every runner.
export * from "./create";
export * from "./lifecycle";
export * from "./reads";
export * from "./results";
