#!/usr/bin/env node
// The `strop` command: TypeScript sources run through tsx, so there is no separate build step.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
