import { describe, expect, expectTypeOf, it } from "vitest";
import type { BleuOptions } from "./bleu";
import { MetricConfigError, MetricScoringError, UnknownMetricError } from "./errors";
import type { RegexOptions } from "./regex";
import {
  type AnyMetricDefinition,
  createScorer,
  getMetric,
  listMetrics,
  type MetricConfigInput,
  metricNames,
  metrics,
  parseMetricOptions,
  type ResolvedMetric,
  resolveMetrics,
  scoreExample,
  scoreResolved,
} from "./registry";
import { FakeLlm, metricContext, metricInput } from "./testing";

const ALL_NAMES = [
  "exact_match",
  "contains",
  "regex",
  "json_match",
  "token_f1",
  "bleu",
  "rouge_l",
  "embedding_similarity",
  "llm_judge",
];

describe("metric registry", () => {
  it("registers every metric under its own name, with defaults for empty options", () => {
    expect(metricNames).toEqual(ALL_NAMES);
    for (const name of metricNames) {
      const metric = metrics[name];
      expect(metric.name).toBe(name);
      expect(metric.description.length).toBeGreaterThan(20);
      expect(() => metric.options.parse({})).not.toThrow();
    }
    expect(
      listMetrics()
        .filter((m) => m.usesLlm)
        .map((m) => m.name),
    ).toEqual(["embedding_similarity", "llm_judge"]);
  });

  it("every registered metric scores a sample pair in [0, 1] with default options", async () => {
    // A JSON pair, so json_match (which needs JSON) and regex (expected used as the pattern) apply too.
    const input = metricInput(
      'Answer: {"city": "Paris", "country": "France"}',
      '{"city": "Paris", "country": "France"}',
    );
    const llm = new FakeLlm(() => '{"score": 0.9, "reason": "Right city."}');
    for (const name of metricNames) {
      const metric: AnyMetricDefinition = getMetric(name);
      const result = await metric.score(input, parseMetricOptions(name, {}), metricContext(llm));
      expect(result.score, name).toBeGreaterThanOrEqual(0);
      expect(result.score, name).toBeLessThanOrEqual(1);
      for (const value of Object.values(result.details ?? {})) {
        expect(value, name).toBeGreaterThanOrEqual(0);
        expect(value, name).toBeLessThanOrEqual(1);
      }
    }
    expect(llm.requests).toHaveLength(1);
    expect(llm.embedCalls).toHaveLength(1);
  });

  it("throws for an unknown metric, listing the known names", () => {
    expect(() => getMetric("exact")).toThrow(UnknownMetricError);
    expect(() => getMetric("exact")).toThrow(
      `Unknown metric "exact". Known metrics: ${ALL_NAMES.join(", ")}.`,
    );
    expect(() => parseMetricOptions("f1", {})).toThrow(/Known metrics: exact_match, contains/);
  });

  it("validates options, naming the metric and the bad field", () => {
    const cases: [string, unknown, string][] = [
      ["bleu", { maxN: "4" }, "maxN"],
      ["exact_match", { caseSensitve: true }, "caseSensitve"],
      ["json_match", { mode: "some" }, "mode"],
      ["json_match", { fields: ["a", ""] }, "fields.1"],
      ["rouge_l", { beta: 0 }, "beta"],
      ["llm_judge", { rubric: "  " }, "rubric"],
    ];
    for (const [name, options, field] of cases) {
      let error: unknown;
      try {
        parseMetricOptions(name, options);
      } catch (caught) {
        error = caught;
      }
      expect(error, `${name} ${field}`).toBeInstanceOf(MetricConfigError);
      expect((error as MetricConfigError).metric).toBe(name);
      expect((error as MetricConfigError).field).toBe(field);
      expect((error as Error).message).toContain(`Invalid options for metric "${name}": ${field}: `);
    }
  });

  it("applies defaults and treats missing options as {}", () => {
    expect(parseMetricOptions("exact_match", undefined)).toEqual({
      caseSensitive: false,
      trimWhitespace: true,
      ignorePunctuation: false,
      stripQuotes: true,
    });
    expect(parseMetricOptions("bleu", { maxN: 2 })).toEqual({ maxN: 2, caseSensitive: false });
    // Typed by metric name (checked by tsc).
    expectTypeOf(parseMetricOptions("bleu", {})).toEqualTypeOf<BleuOptions>();
    expectTypeOf(parseMetricOptions("regex", { pattern: "a" })).toEqualTypeOf<RegexOptions>();
    expectTypeOf(parseMetricOptions("bl" + "eu", {})).toEqualTypeOf<unknown>();
  });

  it("aggregates with the weighted mean", async () => {
    // exact_match = 1 (weight 3); token_f1 of "The Denver Broncos won" vs "Denver Broncos" = 0.8 (weight 1):
    // (3·1 + 1·0.8) / 4 = 0.95.
    const result = await scoreExample(
      [
        { name: "exact_match", options: { ignorePunctuation: true }, weight: 3 },
        { name: "token_f1", options: {}, weight: 1 },
      ],
      metricInput("Denver Broncos!", "Denver Broncos"),
      metricContext(),
    );
    expect(result.score).toBe(1);
    const mixed = await scoreExample(
      [
        { name: "contains", options: {}, weight: 3 },
        { name: "token_f1", options: {}, weight: 1 },
      ],
      metricInput("The Denver Broncos won", "Denver Broncos"),
      metricContext(),
    );
    expect(mixed.metrics.contains?.score).toBe(1);
    expect(mixed.metrics.token_f1?.score).toBeCloseTo(0.8, 12);
    expect(mixed.score).toBeCloseTo(0.95, 12);
  });

  it("keys a repeated metric name#2, name#3", async () => {
    const result = await scoreExample(
      [
        { name: "contains", options: { value: "Paris" }, weight: 1 },
        { name: "contains", options: { value: "France" }, weight: 1 },
        { name: "contains", options: { value: "Lyon" }, weight: 2 },
      ],
      metricInput("Paris, France", "unused"),
      metricContext(),
    );
    expect(Object.keys(result.metrics)).toEqual(["contains", "contains#2", "contains#3"]);
    expect(result.metrics["contains#3"]?.score).toBe(0);
    expect(result.score).toBe(0.5); // (1 + 1 + 2·0) / 4
  });

  it("defaults a missing weight to 1 and rejects bad weights and empty configs", () => {
    expect(resolveMetrics([{ name: "bleu" }])[0]?.weight).toBe(1);
    expect(() => resolveMetrics([{ name: "bleu", weight: 0 }])).toThrow(/Invalid weight for metric "bleu"/);
    expect(() => resolveMetrics([{ name: "bleu", weight: Number.NaN }])).toThrow(MetricConfigError);
    expect(() => resolveMetrics([])).toThrow(/No metrics configured/);
  });

  it("fails the example with the metric's key when a metric throws", async () => {
    const llm = new FakeLlm(["no verdict", "still none"]);
    const failing = scoreExample(
      [
        { name: "exact_match", options: {}, weight: 1 },
        { name: "llm_judge", options: {}, weight: 1 },
      ],
      metricInput("x", "y"),
      metricContext(llm),
    );
    await expect(failing).rejects.toBeInstanceOf(MetricScoringError);
    await expect(failing).rejects.toThrow(
      /^metric "llm_judge": judge model "sim:default" gave no valid score/,
    );
  });

  it("createScorer validates once and scores through the given port", async () => {
    expect(() =>
      createScorer([{ name: "regex", options: { pattern: "(" } }], { defaultModel: "sim:x" }),
    ).toThrow(/pattern/);
    const scorer = createScorer([{ name: "embedding_similarity", options: {}, weight: 1 }], {
      defaultModel: "sim:embed",
    });
    const llm = new FakeLlm();
    const result = await scorer(metricInput("abc", "abc"), llm);
    expect(result.score).toBeCloseTo(1, 12);
    expect(llm.embedCalls[0]?.model).toBe("sim:embed");
  });

  it("reports options that are not an object, unknown options and several issues at once", () => {
    const issuesOf = (name: string, options: unknown) => {
      try {
        parseMetricOptions(name, options);
      } catch (error) {
        return error as MetricConfigError;
      }
      throw new Error("expected a MetricConfigError");
    };
    const notAnObject = issuesOf("bleu", "4");
    expect(notAnObject.field).toBe("");
    expect(notAnObject.message).toMatch(/^Invalid options for metric "bleu": options: /);
    expect(issuesOf("exact_match", { caseSensitve: true, strip: 1 }).issues).toEqual([
      { field: "caseSensitve", message: "unknown option" },
      { field: "strip", message: "unknown option" },
    ]);
    const two = issuesOf("bleu", { maxN: 0, caseSensitive: "no" });
    expect(two.issues.map((issue) => issue.field)).toEqual(["maxN", "caseSensitive"]);
    expect(two.message).toMatch(/^Invalid options for metric "bleu": maxN: [^;]+; caseSensitive: [^;]+$/);
  });

  it("names the field of an empty metric list and of a bad weight", () => {
    const caught = (configs: MetricConfigInput[]) => {
      try {
        resolveMetrics(configs);
      } catch (error) {
        return error as MetricConfigError;
      }
      throw new Error("expected a MetricConfigError");
    };
    expect(caught([])).toMatchObject({
      metric: "",
      issues: [{ field: "metrics", message: "name at least one metric" }],
    });
    expect(caught([{ name: "bleu", weight: -2 }])).toMatchObject({
      message: 'Invalid weight for metric "bleu": must be a positive number, got -2',
      metric: "bleu",
      issues: [{ field: "weight", message: "must be a positive number, got -2" }],
    });
    expect(caught([{ name: "bleu", weight: Number.POSITIVE_INFINITY }]).field).toBe("weight");
  });

  it("fails an example whose metric returns a score outside [0, 1]", async () => {
    const returning = (score: number): ResolvedMetric => ({
      key: "custom",
      metric: { ...metrics.exact_match, score: async () => ({ score }) } as AnyMetricDefinition,
      options: {},
      weight: 1,
    });
    const score = (value: number) =>
      scoreResolved([returning(value)], metricInput("a", "a"), metricContext());
    for (const bad of [1.5, -0.1, Number.NaN]) {
      const failing = score(bad);
      await expect(failing).rejects.toBeInstanceOf(MetricScoringError);
      await expect(failing).rejects.toThrow(`metric "custom": returned a score outside [0, 1]: ${bad}`);
    }
    // A numeric string is not a score, even one in range.
    await expect(score("0.5" as unknown as number)).rejects.toThrow("returned a score outside [0, 1]: 0.5");
    expect((await score(0)).score).toBe(0);
    expect((await score(1)).score).toBe(1);
  });
});
