// Negative-feedback alerts (docs/api-feedback.md): the scheduled check that proposes "optimize from
// feedback", acting on its proposals, and a project's settings.
export {
  checkFeedbackNow,
  checkProjectFeedback,
  FEEDBACK_CHECK_INTERVAL,
  feedbackCheckMinutes,
} from "./check";
export {
  dismissProjectFeedbackProposal,
  listProjectFeedbackProposals,
  negativeGenerationsPath,
  startProjectFeedbackProposal,
} from "./manage";
export { getFeedbackAlertSettings, setFeedbackAlertSettings } from "./settings";
