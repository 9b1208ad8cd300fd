import { describe, expect, it } from "vitest";
import { LlmError } from "@/lib/core/ports";
import { MetricConfigError, MetricScoringError, UnknownMetricError } from "./errors";

describe("metric errors", () => {
  it("a config error names the metric, its issues and the first bad field", () => {
    const error = new MetricConfigError("bad", "bleu", [
      { field: "maxN", message: "too big" },
      { field: "caseSensitive", message: "not a boolean" },
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "MetricConfigError", code: "invalid_metric_config", metric: "bleu" });
    expect(error.field).toBe("maxN");
    expect(new MetricConfigError("no metrics", "", []).field).toBe("");
  });

  it("an unknown metric is a config error on the field name, listing the known metrics", () => {
    const error = new UnknownMetricError("f1", ["exact_match", "token_f1"]);
    expect(error).toBeInstanceOf(MetricConfigError);
    expect(error.message).toBe('Unknown metric "f1". Known metrics: exact_match, token_f1.');
    expect(error).toMatchObject({ name: "UnknownMetricError", code: "unknown_metric", metric: "f1" });
    expect(error.known).toEqual(["exact_match", "token_f1"]);
    expect(error.issues).toEqual([{ field: "name", message: 'unknown metric "f1"' }]);
    expect(error.field).toBe("name");
  });

  it("a scoring error names the metric, keeps its cause and says whether a retry may help", () => {
    const cause = new LlmError("rate limited", true, 429);
    const error = new MetricScoringError("llm_judge", cause);
    expect(error.message).toBe('metric "llm_judge": rate limited');
    expect(error.name).toBe("MetricScoringError");
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(true);
  });

  it("only a cause that says retryable: true makes a scoring error retryable", () => {
    const retryable = (cause: unknown) => new MetricScoringError("m", cause).retryable;
    expect(retryable(new LlmError("bad request", false, 400))).toBe(false);
    expect(retryable(new Error("plain"))).toBe(false);
    expect(retryable({ retryable: "yes" })).toBe(false);
    expect(retryable({ retryable: true })).toBe(true);
    expect(retryable(null)).toBe(false);
    expect(retryable(undefined)).toBe(false);
    expect(retryable("timeout")).toBe(false);
  });

  it("a cause that is not an Error becomes the message text", () => {
    expect(new MetricScoringError("regex", "no pattern").message).toBe('metric "regex": no pattern');
    expect(new MetricScoringError("regex", 42).message).toBe('metric "regex": 42');
  });
});
