#!/usr/bin/env node
// Summarises a StrykerJS JSON report (`npm run test:mutation` writes reports/mutation/mutation.json):
// the mutation score per folder and per file, and optionally the surviving mutants of some files, each
// with its source line and what Stryker changed it into — a list to write tests from.
//
//   node scripts/mutation-report.mjs [report.json] [--survivors lib/core,lib/optimizers] [--out file]
//
// Score as Stryker counts it: detected (killed + timed out) / (detected + survived + no coverage);
// mutants that do not compile or crash the runner are left out.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const survivorPrefixes = option("--survivors")?.split(",").filter(Boolean);
const out = option("--out");
const reportPath = args[0] ?? "reports/mutation/mutation.json";
const report = JSON.parse(readFileSync(reportPath, "utf8"));

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

function tally(mutants) {
  let detected = 0;
  let undetected = 0;
  for (const m of mutants) {
    if (DETECTED.has(m.status)) detected++;
    else if (UNDETECTED.has(m.status)) undetected++;
  }
  const valid = detected + undetected;
  return { detected, undetected, valid, score: valid ? (100 * detected) / valid : 100 };
}

const files = Object.entries(report.files)
  .map(([name, file]) => [path.relative(process.cwd(), path.resolve(name)), file])
  .sort(([a], [b]) => a.localeCompare(b));
const folderOf = (name) =>
  name.startsWith("lib/llm/gateway/") ? "lib/llm/gateway" : name.split("/").slice(0, 2).join("/");

const lines = [];
const line = (cols) => lines.push(cols.join(" | "));
const pct = (t) => `${t.score.toFixed(2)}%`;
const total = tally(files.flatMap(([, f]) => f.mutants));
lines.push(
  `Mutation score ${pct(total)} (${total.detected} of ${total.valid} mutants detected), ${reportPath}`,
);
lines.push("");
line(["folder / file", "score", "detected", "survived or not covered"]);
const folders = [...new Set(files.map(([name]) => folderOf(name)))];
for (const folder of folders) {
  const inFolder = files.filter(([name]) => folderOf(name) === folder);
  const t = tally(inFolder.flatMap(([, f]) => f.mutants));
  line([`**${folder}**`, pct(t), t.detected, t.undetected]);
  for (const [name, file] of inFolder) {
    const ft = tally(file.mutants);
    if (ft.valid) line([`  ${name}`, pct(ft), ft.detected, ft.undetected]);
  }
}

if (survivorPrefixes) {
  for (const [name, file] of files) {
    if (!survivorPrefixes.some((prefix) => name.startsWith(prefix))) continue;
    const left = file.mutants
      .filter((m) => UNDETECTED.has(m.status))
      .sort((a, b) => a.location.start.line - b.location.start.line);
    if (!left.length) continue;
    const source = file.source.split("\n");
    lines.push("", `## ${name}: ${left.length} undetected`);
    for (const m of left) {
      const { line: at, column } = m.location.start;
      const tag = m.status === "NoCoverage" ? "no test runs it" : "survived";
      lines.push(`${name}:${at}:${column} ${m.mutatorName} (${tag})`);
      lines.push(`  - ${source[at - 1]?.trim()}`);
      lines.push(`  + ${m.replacement?.split("\n").join(" ").slice(0, 200)}`);
    }
  }
}

const text = `${lines.join("\n")}\n`;
if (out) writeFileSync(out, text);
process.stdout.write(
  out ? `${lines.slice(0, 2 + folders.length * 40).join("\n")}\nwritten to ${out}\n` : text,
);
