// Prompts: reading tasks and versions, authoring them, labels and their history, change requests,
// comparing versions, and exporting a version as a task file — one file per use case.
export * from "./authoring";
export * from "./change-requests";
export * from "./compare";
export * from "./labels";
export * from "./reads";
export * from "./task-file-export";
export { checkServingModel, versionInputIssues } from "./version-input";
