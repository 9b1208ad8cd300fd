// A/B tests of prompt versions on live traffic (docs/api-experiments.md).
export { runningExperimentOn, runningExperimentsChanged } from "./active-cache";
export { executeExperimentAnalysis } from "./analysis-job";
export { assignSubject, currentWeights, type Exposed, exposeSubject } from "./assign";
export {
  changeProjectExperiment,
  createProjectExperiment,
  getProjectExperiment,
  listExperimentFeedback,
  listProjectExperiments,
  plannedSampleSize,
} from "./manage";
export {
  ANALYSIS_INTERVAL,
  analysisIntervalMinutes,
  analyzeExperimentNow,
  scheduleExperimentAnalyses,
} from "./schedule";
