// Templates: the built-in library, the content rules, search and YAML reading and writing.
export { type TemplateIssue, templateIssues } from "./check";
export {
  findLibraryTemplate,
  LIBRARY_DIR,
  libraryDir,
  libraryFiles,
  loadLibrary,
  readLibraryFile,
} from "./library";
export { matchesFilter, type Searchable, searchTemplates, type TemplateFilter } from "./search";
export { MAX_TEMPLATE_BYTES, parseTemplateYaml, templateToYaml } from "./yaml";
