#!/usr/bin/env node
// `npm run build:cli` (also run by postinstall, after the Prisma clients are generated): builds the
// `strop` command's bundle (bin/cli-bundle.mjs). `strop` rebuilds it by itself whenever a source changed,
// so this only saves the first start that work. Never fails an install: without a bundle, `strop` runs
// the TypeScript sources through tsx.
import { buildBundle, ROOT } from "../bin/cli-bundle.mjs";

const started = performance.now();
try {
  const entry = await buildBundle({ quiet: false });
  console.log(
    `strop CLI bundle: ${entry.slice(ROOT.length + 1)} in ${Math.round(performance.now() - started)} ms`,
  );
} catch (error) {
  console.warn(
    `strop CLI bundle not built (strop will run from source): ${error instanceof Error ? error.message : error}`,
  );
}
