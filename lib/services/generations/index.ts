// Generations of the serving API and their feedback, as the app shows them (docs/api-prompts.md).
export { getGenerationDetail, listTaskGenerations, taskGenerationCounts } from "./reads";
export { reviewGeneration } from "./review";
export { getVersionFeedback, getVersionFeedbackSummary } from "./version-feedback";
