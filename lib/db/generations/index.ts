// What the app reads of the serving API's generations: a task's list with filters, one generation with
// its feedback, and a version's feedback summed up.
export * from "./detail";
export * from "./feedback-summary";
export * from "./list";
