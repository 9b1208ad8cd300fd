// Datasets: records (the typed version), versions by content (the CLI), reads (lists, pages of
// examples), web versions (uploads) and edits (derived versions, deletion).
export * from "./edits";
export * from "./reads";
export * from "./records";
export * from "./versions";
export {
  DatasetHasher,
  type DatasetScope,
  type NewWebDatasetVersion,
  writeDatasetVersion,
} from "./web-versions";
