// Every API route declares `dynamic = "force-dynamic"`: an API answer depends on who asks, so Next.js
// must never prerender or cache one, and with the declaration it also hands the handler the request
// as is instead of wrapping it in its dynamic-usage tracking proxy (a cost on every serving read).
// Next.js reads the option only from the route file itself, so each file says it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const API_DIR = path.join(__dirname);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

function missingForceDynamic(files: { file: string; source: string }[]): string[] {
  return files
    .filter(({ source }) => !/^export const dynamic = "force-dynamic";$/m.test(source))
    .map(({ file }) => file);
}

describe("API route segment config", () => {
  it("every route file under app/api is force-dynamic", () => {
    const files = routeFiles(API_DIR).map((file) => ({
      file: path.relative(API_DIR, file),
      source: readFileSync(file, "utf8"),
    }));
    expect(files.length).toBeGreaterThan(90);
    expect(missingForceDynamic(files)).toEqual([]);
  });

  it("notices a route without it", () => {
    const planted = [
      { file: "ok/route.ts", source: 'import x from "y";\n\nexport const dynamic = "force-dynamic";\n' },
      { file: "missing/route.ts", source: 'export const GET = () => new Response("{}");\n' },
      { file: "auto/route.ts", source: 'export const dynamic = "auto";\n' },
    ];
    expect(missingForceDynamic(planted)).toEqual(["missing/route.ts", "auto/route.ts"]);
  });
});
