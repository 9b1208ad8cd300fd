// Feedback on served answers: signed tokens for browsers, recording with idempotency, and learning from
// it (corrections → a dataset version → an optimization run).

export {
  FeedbackWriter,
  type FeedbackWriterStats,
  feedbackBatchSettings,
  feedbackWriter,
  setFeedbackWriter,
} from "./batcher";
export { datasetFromFeedback, feedbackDatasetName, optimizeFromFeedback } from "./learning";
export { feedbackView, submitFeedback, submitFeedbackItems } from "./record";
export { exposureFeedbackToken, signFeedbackToken, verifyFeedbackToken } from "./token";
