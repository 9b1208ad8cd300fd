// How a task file's models become the gateway's per-model settings.
import { describe, expect, it } from "vitest";
import { modelConfigSchema } from "@/lib/validation/task-file";
import { gatewayOptions } from "./context";

const cache = { enabled: false, ttlSeconds: 60 };

describe("gatewayOptions", () => {
  it("keeps each role's settings when the roles use different models", () => {
    const task = modelConfigSchema.parse({ id: "sim:default", concurrency: 16 });
    const optimizer = modelConfigSchema.parse({ id: "sim:other", concurrency: 2 });
    const { models } = gatewayOptions({ models: { task, optimizer }, cache });
    expect(models?.["sim:default"]?.concurrency).toBe(16);
    expect(models?.["sim:other"]?.concurrency).toBe(2);
  });

  it("applies the task model's settings when both roles use the same model id", () => {
    const task = modelConfigSchema.parse({
      id: "sim:default",
      concurrency: 3,
      rateLimit: { requestsPerMinute: 120 },
    });
    const optimizer = modelConfigSchema.parse({ id: "sim:default" });
    const { models } = gatewayOptions({ models: { task, optimizer }, cache });
    expect(models?.["sim:default"]?.concurrency).toBe(3);
    expect(models?.["sim:default"]?.rateLimit).toMatchObject({ requestsPerMinute: 120 });
  });
});
