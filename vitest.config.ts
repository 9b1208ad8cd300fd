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
    // Tests talk to loopback fakes (lib/llm/testing); spawned CLI and worker processes inherit this.
    // The egress tests pass their own policies.
    env: { STROP_EGRESS_ALLOW: "loopback" },
  },
});
