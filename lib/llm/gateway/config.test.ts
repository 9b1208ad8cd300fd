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
