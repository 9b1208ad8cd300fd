import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{lib,app,inngest,scripts,examples,tests}/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most tests wait on databases, loopback servers and child processes rather than the CPU: vitest's
    // default (one worker fewer than the CPUs) leaves a 2-core machine running one file at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Tests talk to loopback fakes (lib/llm/testing); spawned CLI and worker processes inherit this.
    // The egress tests pass their own policies.
    env: { STROP_EGRESS_ALLOW: "loopback" },
  },
});
