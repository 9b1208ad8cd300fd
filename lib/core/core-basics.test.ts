// The small pieces the loop stands on: errors, prompts as messages, splits, progress, concurrency,
// sampling and intervals at their edges.
import { describe, expect, it } from "vitest";
import { mapConcurrent } from "./concurrency";
import {
  AppError,
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from "./errors";
import { emptyUsage } from "./meter";
import type { Progress } from "./ports";
import { ProgressTracker } from "./progress";
import { buildMessages, promptKey, promptVariables } from "./prompt";
import { createRandom, sample, shuffle } from "./random";
import { kFolds, splitExamples } from "./splits";
import { bootstrapInterval } from "./stats";
import { MissingVariableError, renderTemplate } from "./template";
import type { Example, PromptState } from "./types";

describe("errors", () => {
  it("carry a code, an HTTP status, details and their own name", () => {
    const cases: [AppError, string, number, string, unknown][] = [
      [new InputError("bad row", { row: 2 }), "invalid_input", 400, "InputError", { row: 2 }],
      [new NotFoundError("no run"), "not_found", 404, "NotFoundError", undefined],
      [new UnauthorizedError(), "unauthenticated", 401, "UnauthorizedError", undefined],
      [
        new ForbiddenError("viewer", { role: "viewer" }),
        "forbidden",
        403,
        "ForbiddenError",
        { role: "viewer" },
      ],
      [new ConflictError("taken", { name: "x" }), "conflict", 409, "ConflictError", { name: "x" }],
      [
        new PayloadTooLargeError(1024),
        "payload_too_large",
        413,
        "PayloadTooLargeError",
        { limitBytes: 1024 },
      ],
      [
        new UnsupportedMediaTypeError(),
        "unsupported_media_type",
        415,
        "UnsupportedMediaTypeError",
        undefined,
      ],
      [new RateLimitError(7), "rate_limited", 429, "RateLimitError", { retryAfterSeconds: 7 }],
    ];
    for (const [error, code, status, name, details] of cases) {
      expect([error.code, error.status, error.name, error.details]).toEqual([code, status, name, details]);
      expect(error).toBeInstanceOf(AppError);
      expect(error.message.length).toBeGreaterThan(0);
    }
    expect(new AppError("x", "m", 500).name).toBe("AppError");
    expect(new PayloadTooLargeError(1024).message).toBe("The request body is larger than 1024 bytes.");
    expect(new UnauthorizedError().message).toBe("Sign in or send an API key as `Authorization: Bearer …`.");
    expect(new UnsupportedMediaTypeError().message).toBe(
      "Send the request body as JSON (Content-Type: application/json).",
    );
    expect(new RateLimitError(7).message).toBe("Too many requests; try again later.");
    expect([
      new RateLimitError(1, "slow down").retryAfterSeconds,
      new RateLimitError(1, "slow down").message,
    ]).toEqual([1, "slow down"]);
  });
});

describe("prompts", () => {
  const state: PromptState = {
    systemPrompt: "Be brief.",
    outputPrompt: "Q: {{q}}",
    demos: [{ input: { q: "1+1" }, output: "2" }],
    params: {},
  };

  it("become the system prompt, each demo as a turn, then the rendered example", () => {
    expect(buildMessages(state, { q: "2+2" })).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Q: 1+1" },
      { role: "assistant", content: "2" },
      { role: "user", content: "Q: 2+2" },
    ]);
    expect(buildMessages({ ...state, systemPrompt: "  ", demos: [] }, { q: "x" })).toEqual([
      { role: "user", content: "Q: x" },
    ]);
    expect(promptVariables(state)).toEqual(["q"]);
  });

  it("are named by their content", () => {
    const key = promptKey(state);
    expect(key).toMatch(/^[0-9a-f]{10,16}$/);
    expect(promptKey({ ...state })).toBe(key);
    expect(promptKey({ ...state, params: { temperature: 0 } })).not.toBe(key);
    expect(promptKey({ ...state, demos: [] })).not.toBe(key);
  });

  it("refuse to render an example without a variable", () => {
    expect(() => renderTemplate("{{a}}", {})).toThrow(MissingVariableError);
    const error = new MissingVariableError("a");
    expect([error.name, error.variable, error.message]).toEqual([
      "MissingVariableError",
      "a",
      'template variable "a" has no value',
    ]);
  });
});

const examples = (n: number): Example[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${i}`, input: {}, expected: "" }));

describe("splits", () => {
  it("need three examples and room for training", () => {
    expect(() => splitExamples(examples(2), { validation: 0.3, test: 0.3 }, 1)).toThrow(
      "at least 3 examples",
    );
    expect(splitExamples(examples(3), { validation: 0.1, test: 0.1 }, 1)).toMatchObject({
      test: [expect.anything()],
      validation: [expect.anything()],
      train: [expect.anything()],
    });
    expect(() => splitExamples(examples(10), { validation: 0.5, test: 0.5 }, 1)).toThrow(
      "validation and test leave no training examples",
    );
    expect(splitExamples(examples(10), { validation: 0.4, test: 0.5 }, 1).train).toHaveLength(1);
  });

  it("make k folds of near-equal size, from 2 up to one per example", () => {
    expect(kFolds(examples(10), 3, 1).map((f) => f.length)).toEqual([4, 3, 3]);
    expect(kFolds(examples(2), 2, 1).map((f) => f.length)).toEqual([1, 1]);
    expect(() => kFolds(examples(10), 1, 1)).toThrow("cannot make 1 folds of 10 examples");
    expect(() => kFolds(examples(3), 4, 1)).toThrow("cannot make 4 folds of 3 examples");
    expect(
      kFolds(examples(3), 3, 1)
        .flat()
        .map((e) => e.id)
        .sort(),
    ).toEqual(["0", "1", "2"]);
  });
});

describe("progress", () => {
  it("reports the step, how far it is, the run's totals, elapsed time and the step's ETA", () => {
    let now = 1_000;
    const seen: Progress[] = [];
    const totals = {
      ...emptyUsage(),
      calls: 4,
      failedCalls: 1,
      inputTokens: 40,
      outputTokens: 4,
      costUsd: 0.5,
    };
    const tracker = new ProgressTracker({ now: () => now }, 400, totals, (p) => seen.push(p));
    tracker.advance(1);
    expect(seen[0]).toMatchObject({ step: "starting", iteration: 0, total: 0, done: 0 });
    now = 2_000;
    tracker.begin("refined inference", 2, 10);
    now = 3_000;
    tracker.advance(4);
    now = 4_000;
    tracker.advance(20);
    expect(seen.slice(1)).toEqual([
      {
        step: "refined inference",
        iteration: 2,
        done: 0,
        total: 10,
        calls: 4,
        failedCalls: 1,
        inputTokens: 40,
        outputTokens: 4,
        costUsd: 0.5,
        elapsedMs: 1_600,
        etaMs: null,
      },
      {
        step: "refined inference",
        iteration: 2,
        done: 4,
        total: 10,
        calls: 4,
        failedCalls: 1,
        inputTokens: 40,
        outputTokens: 4,
        costUsd: 0.5,
        elapsedMs: 2_600,
        etaMs: 1_500,
      },
      {
        step: "refined inference",
        iteration: 2,
        done: 10,
        total: 10,
        calls: 4,
        failedCalls: 1,
        inputTokens: 40,
        outputTokens: 4,
        costUsd: 0.5,
        elapsedMs: 3_600,
        etaMs: 0,
      },
    ]);
    expect(() => new ProgressTracker({ now: () => 0 }, 0, totals).begin("x", 1, 1)).not.toThrow();
  });
});

describe("concurrency, sampling and intervals", () => {
  it("map with at most `limit` calls in flight, keeping the order", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapConcurrent([30, 10, 20, 5, 1], 2, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(["0:30", "1:10", "2:20", "3:5", "4:1"]);
    expect(most).toBe(2);
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([]);
  });

  it("shuffle and sample without changing what they were given", () => {
    const items = [1, 2, 3, 4, 5];
    const shuffled = shuffle(items, createRandom(1));
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect([...shuffled].sort()).toEqual(items);
    const all = sample(items, 5, createRandom(1));
    expect(all).toEqual(items);
    expect(all).not.toBe(items);
    expect(sample(items, 9, createRandom(1))).toEqual(items);
    expect(sample(items, 2, createRandom(1))).toHaveLength(2);
  });

  it("collapse to the mean with fewer than two values, and resample exactly `samples` times", () => {
    expect(bootstrapInterval([], {})).toEqual({ mean: 0, low: 0, high: 0, n: 0 });
    expect(bootstrapInterval([0.4])).toEqual({ mean: 0.4, low: 0.4, high: 0.4, n: 1 });
    const two = bootstrapInterval([0, 1], { samples: 1, seed: 3 });
    expect(two.low).toBe(two.high);
    expect([0, 0.5, 1]).toContain(two.low);
  });
});
