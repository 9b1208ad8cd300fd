// Vitest for `npm run test:mutation` (stryker.config.mjs): only the unit tests of the folders Stryker
// mutates, so each mutant runs in seconds. The integration suites (lib/db, lib/services, app/, the CLI
// end to end) stay out: they are slow, and they test other layers.
import { defineConfig } from "vitest/config";
import base from "./vitest.config";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "lib/core/**/*.test.ts",
      "lib/optimizers/**/*.test.ts",
      "lib/metrics/**/*.test.ts",
      "lib/llm/gateway/**/*.test.ts",
      // The gateway's front (createLlm), its error mapping and its egress checks over HTTP drive the
      // files of lib/llm/gateway/ too.
      "lib/llm/gateway.test.ts",
      "lib/llm/errors.test.ts",
      "lib/llm/egress-gateway.test.ts",
    ],
    // The optimization at its documented maximum size (seconds per run, it covers nearly every core
    // line): a check of Inngest's limits, not a test that tells mutants apart.
    exclude: [...(base.test?.exclude ?? []), "lib/core/step-limits.test.ts"],
  },
});
