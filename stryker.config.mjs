// @ts-check
// `npm run test:mutation`: StrykerJS mutates the pure core, the optimizers, the metrics and the LLM
// gateway, and runs their unit tests (vitest.mutation.config.ts) against each mutant. A surviving mutant
// is a change of behaviour no test notices. Not part of `npm test` (it takes tens of minutes); see
// docs/testing.md. Pass `-- --concurrency N` to bound the workers, `-- --incremental` to re-test only
// what changed since the last run, `-- --mutate lib/metrics/bleu.ts` for one file.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  mutate: [
    "lib/core/**/*.ts",
    "lib/optimizers/**/*.ts",
    "lib/metrics/**/*.ts",
    "lib/llm/gateway/**/*.ts",
    "!**/*.test.ts",
    // Test helpers, not product code.
    "!lib/core/testing/**",
    "!lib/metrics/testing.ts",
  ],
  // The sandbox copy needs the sources, the generated Prisma clients, the migrations (the database cache
  // test) and the configs, nothing else.
  ignorePatterns: [
    "/*",
    "!/lib",
    "!/prisma",
    "!/package.json",
    "!/tsconfig.json",
    "!/vitest.config.ts",
    "!/vitest.mutation.config.ts",
  ],
  // Descriptions of metrics and strategies are prose: see scripts/stryker-ignore-prose.mjs.
  plugins: ["@stryker-mutator/*", "./scripts/stryker-ignore-prose.mjs"],
  ignorers: ["prose"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  incrementalFile: "reports/mutation/stryker-incremental.json",
  thresholds: { high: 90, low: 85, break: null },
  // The machine may be busy (tests start loopback servers); a slow test is not an infinite loop.
  timeoutMS: 10_000,
  tempDirName: ".stryker-tmp",
};
