// Errors of metric configuration. Both name the metric and the offending field, so the API can answer
// 400 with `details` and the CLI can point at the line of the task file.

export interface MetricConfigIssue {
  /** Dotted path inside the metric config, e.g. "pattern", "fields.0", "weight". */
  field: string;
  message: string;
}

/** A metric config that cannot be used: bad options, bad weight, no metrics at all. */
export class MetricConfigError extends Error {
  readonly code: string = "invalid_metric_config";

  constructor(
    message: string,
    readonly metric: string,
    readonly issues: MetricConfigIssue[],
  ) {
    super(message);
    this.name = "MetricConfigError";
  }

  /** The first offending field ("" when the problem is not a single field). */
  get field(): string {
    return this.issues[0]?.field ?? "";
  }
}

/** A metric name that is not in the registry; the message lists the known names. */
export class UnknownMetricError extends MetricConfigError {
  override readonly code = "unknown_metric";

  constructor(
    metric: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown metric "${metric}". Known metrics: ${known.join(", ")}.`, metric, [
      { field: "name", message: `unknown metric "${metric}"` },
    ]);
    this.name = "UnknownMetricError";
  }
}

/** A metric failed on one example (bad expected value, judge without a valid answer, provider error). */
export class MetricScoringError extends Error {
  /** True when trying again may help (copied from the cause, e.g. a retryable `LlmError`). */
  readonly retryable: boolean;

  constructor(
    readonly metric: string,
    cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`metric "${metric}": ${message}`, { cause });
    this.name = "MetricScoringError";
    this.retryable =
      typeof cause === "object" && cause !== null && "retryable" in cause && cause.retryable === true;
  }
}
