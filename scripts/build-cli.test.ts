// The CLI bundle's freshness rules (bin/cli-bundle.mjs), on a small project of its own: `strop` must
// never run a bundle older than the sources, and must not rebuild when nothing changed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildBundle, freshBundle } from "../bin/cli-bundle.mjs";

let root: string;
const file = (relative: string) => path.join(root, relative);
const write = (relative: string, text: string) => {
  fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
  fs.writeFileSync(file(relative), text);
};
const HOUR_AGO = new Date(Date.now() - 3600_000);
const greetingSource = (word: string) => `export const greeting = (n: number): string => "${word} " + n;\n`;
/** Dates every file and folder of the project an hour back, as if written long before the build. */
function ageSources() {
  for (const relative of ["package.json", "tsconfig.json", "lib/cli/main.ts", "lib/cli/greeting.ts"])
    fs.utimesSync(file(relative), HOUR_AGO, HOUR_AGO);
  for (const dir of ["lib/cli", "lib", "."]) fs.utimesSync(file(dir), HOUR_AGO, HOUR_AGO);
}
/** Runs the bundle's main() in a fresh node process (as bin/strop.mjs does) and returns what it printed. */
function run(entry: string): string {
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(entry).href)}); await main([]);`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim();
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "strop-cli-bundle-"));
  write("package.json", '{ "type": "module" }');
  write("tsconfig.json", "{}");
  write(
    "lib/cli/main.ts",
    'import { greeting } from "./greeting";\nexport async function main(argv: string[]): Promise<number> {\n  console.log(greeting(argv.length));\n  return 0;\n}\n',
  );
  write("lib/cli/greeting.ts", greetingSource("Hello"));
  ageSources();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the CLI bundle", () => {
  it("is missing until built; once built it is fresh and runs the sources' code", async () => {
    expect(freshBundle({ root })).toBeUndefined();
    const entry = await buildBundle({ root });
    expect(freshBundle({ root })).toBe(entry);
    expect(run(entry)).toBe("Hello 0");
  });

  it("stays fresh when a source's date changes but not its content (a checkout rewriting it)", async () => {
    const entry = await buildBundle({ root });
    fs.utimesSync(file("lib/cli/greeting.ts"), new Date(), new Date());
    expect(freshBundle({ root })).toBe(entry);
  });

  it("is stale when a source changed, even with the same size; the rebuild runs the new code", async () => {
    await buildBundle({ root });
    write("lib/cli/greeting.ts", greetingSource("Hallo"));
    expect(freshBundle({ root })).toBeUndefined();
    // Dated before the rebuild starts (a file written during a build is checked again at the next start).
    const aMinuteAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(file("lib/cli/greeting.ts"), aMinuteAgo, aMinuteAgo);
    const rebuilt = await buildBundle({ root });
    expect(freshBundle({ root })).toBe(rebuilt);
    expect(run(rebuilt)).toBe("Hallo 0");
  });

  it("is stale when an input was deleted, or tsconfig.json changed", async () => {
    await buildBundle({ root });
    write("tsconfig.json", '{ "compilerOptions": {} }');
    expect(freshBundle({ root })).toBeUndefined();
    await buildBundle({ root });
    fs.rmSync(file("lib/cli/greeting.ts"));
    expect(freshBundle({ root })).toBeUndefined();
  });

  it("is stale when a file added beside an input changes what an import resolves to", async () => {
    await buildBundle({ root });
    // "./greeting" now resolves to greeting.tsx (esbuild tries .tsx before .ts).
    write("lib/cli/greeting.tsx", greetingSource("Hi"));
    expect(freshBundle({ root })).toBeUndefined();
    expect(run(await buildBundle({ root }))).toBe("Hi 0");
  });

  it("is stale right after a build during which a source was written (it may hold the old content)", async () => {
    const inTheFuture = new Date(Date.now() + 60_000);
    fs.utimesSync(file("lib/cli/greeting.ts"), inTheFuture, inTheFuture);
    await buildBundle({ root });
    expect(freshBundle({ root })).toBeUndefined();
  });

  it("ignores a build made for another checkout sharing node_modules", async () => {
    await buildBundle({ root });
    const pointerFile = file("node_modules/.cache/strop-cli/current.json");
    const pointer = JSON.parse(fs.readFileSync(pointerFile, "utf8"));
    fs.writeFileSync(pointerFile, JSON.stringify({ ...pointer, root: "/elsewhere" }));
    expect(freshBundle({ root })).toBeUndefined();
  });

  it("removes a build no process started from for an hour, keeps the others (they may load chunks)", async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    const first = path.dirname(await buildBundle({ root }));
    const second = path.dirname(await buildBundle({ root }));
    fs.utimesSync(first, hoursAgo(2), hoursAgo(2));
    fs.utimesSync(second, hoursAgo(2), hoursAgo(2));
    expect(freshBundle({ root })).toBe(path.join(second, "main.mjs")); // a start from the second build
    const third = path.dirname(await buildBundle({ root }));
    expect(fs.existsSync(first)).toBe(false);
    expect(fs.existsSync(second)).toBe(true);
    expect(fs.existsSync(third)).toBe(true);
  });

  it("bundles a package and is stale once another version of it is installed", async () => {
    write(
      "node_modules/shout/package.json",
      '{ "name": "shout", "version": "1.0.0", "type": "module", "main": "index.js" }',
    );
    write("node_modules/shout/index.js", "export const shout = (text) => text.toUpperCase();\n");
    write(
      "lib/cli/main.ts",
      'import { shout } from "shout";\nexport async function main() {\n  console.log(shout("hi"));\n}\n',
    );
    ageSources();
    fs.utimesSync(file("node_modules/shout/package.json"), HOUR_AGO, HOUR_AGO);
    const entry = await buildBundle({ root });
    expect(run(entry)).toBe("HI");
    expect(fs.readFileSync(entry, "utf8")).toContain("toUpperCase"); // inside the bundle, not imported
    expect(freshBundle({ root })).toBe(entry);
    write(
      "node_modules/shout/package.json",
      '{ "name": "shout", "version": "1.0.1", "type": "module", "main": "index.js" }',
    );
    expect(freshBundle({ root })).toBeUndefined();
  });

  it("refuses to leave external a package that a bundled one has its own copy of", async () => {
    // "pg" stays external (a native driver's package); "wrapper" is bundled but needs its nested pg.
    write("node_modules/pg/package.json", '{ "name": "pg", "version": "8.0.0", "main": "index.js" }');
    write("node_modules/pg/index.js", "module.exports = { version: 8 };\n");
    write(
      "node_modules/wrapper/package.json",
      '{ "name": "wrapper", "version": "1.0.0", "main": "index.js" }',
    );
    write("node_modules/wrapper/index.js", 'module.exports = require("pg");\n');
    write(
      "node_modules/wrapper/node_modules/pg/package.json",
      '{ "name": "pg", "version": "7.0.0", "main": "index.js" }',
    );
    write("node_modules/wrapper/node_modules/pg/index.js", "module.exports = { version: 7 };\n");
    write(
      "lib/cli/main.ts",
      'import pg from "wrapper";\nexport async function main() {\n  console.log(pg.version);\n}\n',
    );
    await expect(buildBundle({ root })).rejects.toThrow(
      /node_modules\/wrapper\/index.js needs its own copy of pg/,
    );
    fs.rmSync(file("node_modules/wrapper/node_modules"), { recursive: true });
    expect(run(await buildBundle({ root }))).toBe("8");
  });
});

/** The chunks a module of the bundle imports statically (what loads with it), itself included. */
function staticGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = fs.readFileSync(file, "utf8");
    seen.set(file, text);
    // `import … from "./x.mjs"` and `import "./x.mjs"`; a dynamic import("./x.mjs") loads later.
    for (const [, target] of text.matchAll(/(?:\bfrom|^import)\s*"(\.{1,2}\/[^"]+)"/gm))
      visit(path.resolve(path.dirname(file), target as string));
  };
  visit(entry);
  return seen;
}

describe("the strop command's own bundle", () => {
  it("loads no package for `strop --help`: each command's code and packages load when it runs", async () => {
    const entry = freshBundle() ?? (await buildBundle());
    const loaded = [...staticGraph(entry).values()].join("\n");
    // esbuild marks each bundled module with its path; externals stay bare imports.
    expect(loaded).not.toMatch(/^\/\/ node_modules\//m);
    expect(loaded).not.toMatch(/from "(?!\.|node:)[^"]+"/);
    // The graph does reach the commands, dynamically (the walk above would see a static import).
    expect(loaded).toMatch(/import\("\.\/chunks\/optimize-[^"]+"\)/);
  });
});
