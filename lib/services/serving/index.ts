// The serving API's use cases (docs/api-serving.md): resolve a prompt name to a version (cached in
// memory, with its ETag), render it for given variables, generate with it through the gateway.
export {
  experimentAnswer,
  type RoutedPrompt,
  routeServedPrompt,
  SUBJECT_HEADER,
  subjectOf,
} from "./experiment-routing";
export { type GenerateRequest, type GenerationView, generateFromServedPrompt } from "./generate";
export { servedPromptChanged } from "./invalidation";
export { type RenderedPrompt, renderedView, renderServedPrompt, type ServingRequest } from "./render";
export { DEFAULT_LABEL, resolveServedPrompt, type ServedPrompt, selectorOf } from "./resolve";
