// Runs: optimization and evaluation runs with everything they record (iterations, candidates,
// per-example results), one file per concern.
export * from "./paired-results";
export * from "./reads";
export * from "./records";
export * from "./status";
export * from "./winner";
export * from "./writes";
