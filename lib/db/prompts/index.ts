// Prompts: tasks, their immutable versions, labels with their history, change requests, and the
// scores of versions from the runs that evaluated them — one file per concern.
export * from "./authoring";
export * from "./catalog";
export * from "./change-requests";
export * from "./evaluations";
export * from "./label-errors";
export * from "./label-reads";
export * from "./label-records";
export * from "./labels";
export * from "./tasks";
export * from "./versions";
