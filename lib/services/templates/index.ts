// Templates: the built-in library and the project's own — browse, search, use, save, import, export.
export { exportTemplate, getTemplate, listTemplates, PREVIEW_ROWS } from "./catalog";
export { deleteTemplate, importTemplate, saveVersionAsTemplate } from "./save";
export { useTemplate } from "./use";
