// Batches: a job, its rows (input; once done, output or error with usage) and the malformed rows it
// skipped, one file per concern: records (the typed batch), write (creating), reads, rows, execution.
export * from "./execution";
export * from "./reads";
export * from "./records";
export * from "./rows";
export * from "./write";
