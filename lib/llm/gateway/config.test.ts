// Gateway limits must be positive: zero or negative is refused with a message naming the field, in
// createLlm and in the task file.
import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors";
import { describeIssues } from "../../services/task-file";
import { taskFileSchema } from "../../validation/task-file";
import { createLlm, type GatewayModelConfig } from "../gateway";

const refused = (config: GatewayModelConfig) => {
  try {
    createLlm({ env: {}, models: { "openai:gpt-4o": config } });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("accepted");
};

describe("gateway settings", () => {
  it("refuses zero or negative limits, naming the field", () => {
    expect(refused({ rateLimit: { requestsPerMinute: 0 } })).toBe(
      'models["openai:gpt-4o"].rateLimit.requestsPerMinute must be a positive number (got 0)',
    );
    expect(refused({ rateLimit: { tokensPerMinute: -5 } })).toContain("rateLimit.tokensPerMinute");
    expect(refused({ timeoutMs: 0 })).toContain('models["openai:gpt-4o"].timeoutMs');
    expect(refused({ maxRetries: 0 })).toContain("maxRetries must be a positive integer");
    expect(refused({ concurrency: -1 })).toContain("concurrency");
    expect(() => createLlm({ env: {}, cache: { store: "memory", ttlSeconds: 0 } })).toThrow(
      /cache\.ttlSeconds must be a positive number/,
    );
  });

  it("wants whole numbers of calls and retries", () => {
    expect(refused({ concurrency: 1.5 })).toBe(
      'models["openai:gpt-4o"].concurrency must be a positive integer (got 1.5)',
    );
    expect(refused({ maxRetries: 2.5 })).toBe(
      'models["openai:gpt-4o"].maxRetries must be a positive integer (got 2.5)',
    );
    // Rates and times may be fractions.
    expect(() =>
      createLlm({
        env: {},
        models: { "openai:gpt-4o": { rateLimit: { requestsPerMinute: 0.5 }, timeoutMs: 0.5 } },
      }),
    ).not.toThrow();
    expect(refused({ timeoutMs: Number.POSITIVE_INFINITY })).toBe(
      'models["openai:gpt-4o"].timeoutMs must be a positive number (got null)',
    );
  });

  it("checks the gateway-wide defaults: retries may be 0, not negative or fractional", () => {
    const defaults = (options: { maxRetries?: number; timeoutMs?: number }) => () =>
      createLlm({ env: {}, ...options });
    expect(defaults({ maxRetries: 0 })).not.toThrow();
    expect(defaults({ maxRetries: -1 })).toThrow(
      new InputError("maxRetries must be an integer >= 0 (got -1)"),
    );
    expect(defaults({ maxRetries: 1.5 })).toThrow("maxRetries must be an integer >= 0 (got 1.5)");
    expect(defaults({ timeoutMs: 0 })).toThrow(new InputError("timeoutMs must be a positive number (got 0)"));
  });

  it("accepts positive limits", () => {
    expect(() =>
      createLlm({
        env: {},
        models: {
          "openai:gpt-4o": {
            concurrency: 4,
            rateLimit: { requestsPerMinute: 500, tokensPerMinute: 30_000 },
            timeoutMs: 30_000,
            maxRetries: 3,
          },
        },
      }),
    ).not.toThrow();
  });

  it("the task file refuses them too, naming the path", () => {
    const task = {
      name: "t",
      prompt: { output: "{{x}}" },
      dataset: { path: "d.csv" },
      models: {
        task: {
          id: "openai:gpt-4o-mini",
          rateLimit: { requestsPerMinute: 0, tokensPerMinute: -1 },
          timeoutMs: 0,
        },
        optimizer: { id: "openai:gpt-4o", maxRetries: 0 },
      },
      metrics: [{ name: "exact_match" }],
      cache: { ttlSeconds: 0 },
    };
    const parsed = taskFileSchema.safeParse(task);
    expect(parsed.success).toBe(false);
    const message = describeIssues(parsed.error?.issues ?? []);
    expect(message).toContain("models.task.rateLimit.requestsPerMinute: must be a positive number");
    expect(message).toContain("models.task.rateLimit.tokensPerMinute: must be a positive number");
    expect(message).toContain("models.task.timeoutMs: must be a positive number");
    expect(message).toContain("models.optimizer.maxRetries: must be a positive integer");
    expect(message).toContain("cache.ttlSeconds: must be a positive number");
  });

  it("the task file's cache defaults to on for 7 days", () => {
    const parsed = taskFileSchema.parse({
      name: "t",
      prompt: { output: "{{x}}" },
      dataset: { path: "d.csv" },
      models: { task: { id: "sim:default" }, optimizer: { id: "sim:default" } },
      metrics: [{ name: "exact_match" }],
    });
    expect(parsed.cache).toEqual({ enabled: true, ttlSeconds: 604_800 });
  });
});
