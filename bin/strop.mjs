#!/usr/bin/env node
// The `strop` command. Runs the CLI bundle (bin/cli-bundle.mjs: built at install, rebuilt here when a
// source it was built from changed), or the TypeScript sources through tsx when the bundle cannot be
// built (esbuild missing, a read-only checkout, a syntax error tsx will report) or STROP_CLI_FROM_SOURCE=1.
import { buildBundle, freshBundle, ROOT } from "./cli-bundle.mjs";

async function loadMain() {
  if (process.env.STROP_CLI_FROM_SOURCE !== "1") {
    const bundle = freshBundle() ?? (await buildBundle().catch(() => undefined));
    if (bundle) return import(bundle);
  }
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: `${ROOT}/tsconfig.json` });
  return import("../lib/cli/main.ts");
}

// The migrations ship with the checkout, wherever the command is run from.
process.env.STROP_MIGRATIONS_DIR ??= `${ROOT}/prisma/migrations`;

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
