// The playground (docs/api-playground.md): the same variables through up to four saved versions or
// drafts, each on a model, streamed back side by side with tokens, latency and cost.
export { NDJSON_CONTENT_TYPE, playgroundNdjson } from "./ndjson";
export { type PlaygroundOptions, runPlayground } from "./run";
