// The layer boundaries of biome.json hold: files that break them are planted in the tree (a page and a
// component reading lib/db, the CLI writing through lib/db, the services reaching into lib/http, lib/auth
// calling the services, the job engine calling the services, lib/db calling up, an import cycle),
// `biome lint` must fail on each with the rule that forbids it, then the files are removed. A control file
// in each place, importing what that layer may import, must pass — so a failure means the boundary, not
// a broken probe.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const TAG = `zz-boundary-probe-${process.pid}`;

interface Probe {
  name: string;
  /** Path of the planted file, relative to the repository. */
  file: string;
  source: string;
  /** The rule that must report it; null: a control that must pass. */
  rule: "style/noRestrictedImports" | "suspicious/noImportCycles" | null;
}

const value = (from: string, name: string) =>
  `import { ${name} } from "${from}";\nexport const probe = ${name};\n`;

const PROBES: Probe[] = [
  {
    name: "a page importing lib/db",
    file: `app/${TAG}/page.tsx`,
    source: `import { getDb } from "@/lib/db";\nexport default async function Page() {\n  await getDb();\n  return null;\n}\n`,
    rule: "style/noRestrictedImports",
  },
  {
    name: "a page importing a repository type from lib/db",
    file: `app/${TAG}/types/page.tsx`,
    source: `import type { RunRecord } from "@/lib/db";\nexport type Probe = RunRecord;\n`,
    rule: "style/noRestrictedImports",
  },
  {
    name: "a page importing the job engine",
    file: `app/${TAG}/runner/page.tsx`,
    source: value("@/lib/runner/index", "activeRunner"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "a page going through a service (control)",
    file: `app/${TAG}/ok/page.tsx`,
    source: value("@/lib/services/runs/reads", "listProjectRuns"),
    rule: null,
  },
  {
    name: "a component importing lib/db",
    file: `components/${TAG}.tsx`,
    source: value("@/lib/db", "getRun"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "the CLI importing lib/db",
    file: `lib/cli/${TAG}.ts`,
    source: value("@/lib/db", "createRun"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "the CLI importing lib/db lazily",
    file: `lib/cli/${TAG}-lazy.ts`,
    source: `export const probe = () => import("@/lib/db");\n`,
    rule: "style/noRestrictedImports",
  },
  {
    name: "the CLI going through the operator's services (control)",
    file: `lib/cli/${TAG}-ok.ts`,
    source: value("@/lib/services/operator", "operatorAccess"),
    rule: null,
  },
  {
    name: "a service importing lib/http",
    file: `lib/services/${TAG}.ts`,
    source: value("@/lib/http/errors", "errorResponse"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "lib/auth importing a service",
    file: `lib/auth/${TAG}.ts`,
    source: value("@/lib/services/accounts", "signInWithPassword"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "the job engine importing a service",
    file: `lib/runner/${TAG}.ts`,
    source: value("@/lib/services/jobs", "jobKinds"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "the job engine importing inngest/",
    file: `lib/runner/${TAG}-inngest.ts`,
    source: value("@/inngest/functions", "functions"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "lib/db importing a service",
    file: `lib/db/${TAG}.ts`,
    source: value("@/lib/services/runs", "getProjectRun"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "lib/validation importing lib/db",
    file: `lib/validation/${TAG}.ts`,
    source: value("@/lib/db", "getDb"),
    rule: "style/noRestrictedImports",
  },
  {
    name: "an import cycle (first file)",
    file: `lib/services/${TAG}-cycle/a.ts`,
    source: `import { b } from "@/lib/services/${TAG}-cycle/b";\nexport const a = () => b;\n`,
    rule: "suspicious/noImportCycles",
  },
  {
    name: "an import cycle (second file)",
    file: `lib/services/${TAG}-cycle/b.ts`,
    source: `import { a } from "./a";\nexport const b = () => a;\n`,
    rule: "suspicious/noImportCycles",
  },
];

interface Diagnostic {
  category: string;
  location: { path: string | { file: string } };
}

let diagnostics: Diagnostic[] = [];
let lintOutput = "";

const planted = () => [...new Set(PROBES.map((p) => p.file.split("/").slice(0, 2).join("/")))];

function removeProbes() {
  for (const probe of PROBES) rmSync(path.join(ROOT, probe.file), { force: true });
  for (const dir of [`app/${TAG}`, `lib/services/${TAG}-cycle`])
    rmSync(path.join(ROOT, dir), { recursive: true, force: true });
}

beforeAll(() => {
  for (const probe of PROBES) {
    mkdirSync(path.dirname(path.join(ROOT, probe.file)), { recursive: true });
    writeFileSync(path.join(ROOT, probe.file), probe.source);
  }
  try {
    const result = spawnSync(
      "npx",
      ["biome", "lint", "--reporter=json", "--max-diagnostics=none", ...PROBES.map((p) => p.file)],
      { cwd: ROOT, encoding: "utf8" },
    );
    lintOutput = `${result.stdout}\n${result.stderr}`;
    const start = result.stdout.indexOf("{");
    diagnostics = start >= 0 ? (JSON.parse(result.stdout.slice(start)).diagnostics ?? []) : [];
  } finally {
    removeProbes();
  }
}, 120_000);

afterAll(removeProbes);

const fileOf = (d: Diagnostic) =>
  typeof d.location.path === "string" ? d.location.path : d.location.path.file;

describe("biome.json keeps every layer in its place", () => {
  it("ran on the planted files", () => {
    expect(planted().length).toBeGreaterThan(0);
    expect(lintOutput).not.toMatch(/configuration resulted in errors/);
  });

  for (const probe of PROBES) {
    it(probe.rule ? `refuses ${probe.name}` : `accepts ${probe.name}`, () => {
      const found = diagnostics.filter((d) => fileOf(d) === probe.file).map((d) => d.category);
      if (probe.rule === null) expect(found).toEqual([]);
      else expect(found).toContain(`lint/${probe.rule}`);
    });
  }
});
