// Negative-feedback alerts: a project's settings, the counts the check reads, the proposals it opens.
export * from "./aggregates";
export * from "./proposals";
export * from "./settings";
