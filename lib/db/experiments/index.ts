// Experiments (A/B tests of prompt versions), exposures, analyses and feedback.
export * from "./analyses";
export * from "./experiments";
export * from "./exposures";
export * from "./feedback";
export * from "./feedback-batch";
export * from "./pre-period";
export * from "./promotions";
