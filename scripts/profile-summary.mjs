#!/usr/bin/env node
// Where the time went in a .cpuprofile (from `strop … --profile` or STROP_PROFILE_DIR): self time per
// function and per package or project folder, top N. Usage: node scripts/profile-summary.mjs <file> [N]
import fs from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/profile-summary.mjs <file.cpuprofile> [N]");
  process.exit(2);
}
const top = Number(topArg ?? 15);
const profile = JSON.parse(fs.readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
// timeDeltas[i] is the time before samples[i]: attribute it to that sample's node.
for (const [i, id] of profile.samples.entries())
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** "node_modules/<pkg>", "lib/<folder>", "(node)", "(program)", "(idle)", "(garbage collector)". */
function area(frame) {
  const url = frame.url || "";
  if (!url) return `(${frame.functionName || "native"})`;
  // Prisma 7 compiles queries in WebAssembly; the CLI runs Strop's code from its esbuild bundle.
  if (url.startsWith("wasm://")) return "(wasm: Prisma's query compiler)";
  if (/\/\.cache\/.*\/builds\//.test(url)) return "strop (the CLI bundle: lib/**)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return "(node)";
  const own = /\/(lib\/[^/]+|app|bin|inngest|components)\//.exec(url);
  return own ? own[1] : url.replace(/^file:\/\//, "");
}

const functions = new Map();
const areas = new Map();
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url
    ? `${callFrame.url.split("/").slice(-2).join("/")}:${callFrame.lineNumber + 1}`
    : "";
  const name = `${callFrame.functionName || "(anonymous)"} ${where}`.trim();
  functions.set(name, (functions.get(name) ?? 0) + us);
  areas.set(area(callFrame), (areas.get(area(callFrame)) ?? 0) + us);
}
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`,
    );
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print("self time by area", areas);
print("self time by function", functions);
