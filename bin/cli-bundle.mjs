// The CLI bundle: lib/cli/main.ts and everything it imports, compiled by esbuild into ESM chunks under
// node_modules/.cache/strop-cli/ (so a fresh `npm ci` always starts from nothing). Packages are bundled
// too (a few large files load faster than hundreds of small ones), except EXTERNAL_PACKAGES: Prisma (its
// runtime loads the query compiler's WebAssembly), the native database drivers, and packages that read
// files next to their own code. Commands are dynamic imports in main.ts, so each lands in its own chunk
// and `strop --help` loads none of them.
//
// Freshness: `current.json` records every input of the build (the sources, tsconfig.json, package.json,
// this builder, and for a bundled package its package.json), each with its mtime, size and SHA-1, and
// the repository's directories holding them (a file added beside an input can change how an import
// resolves). A start stats them all (a few ms); when an mtime moved but the size did not, the content's
// hash decides, so a checkout that rewrote identical files does not rebuild. Anything changed or
// missing: the bundle is stale and is rebuilt (about a second).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BUILDER = fileURLToPath(import.meta.url);
export const ROOT = path.resolve(path.dirname(BUILDER), "..");
const MANIFEST_VERSION = 1;
/**
 * A build other than the current one is removed once no process started from it for this long
 * (processes load chunks lazily: one still running may need a file of its build).
 */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;
/** Loaded from node_modules at run time (see the top of this file); everything else is bundled. */
const EXTERNAL_PACKAGES = [
  "@prisma/*",
  "better-sqlite3",
  "pg",
  "pg-native",
  "ioredis",
  "google-auth-library",
];
/** Bundled CommonJS code requires Node's built-in modules through this. */
const BANNER =
  'import { createRequire as __stropCreateRequire } from "node:module";\n' +
  "const require = __stropCreateRequire(import.meta.url);";

/**
 * @typedef {{ root?: string, entry?: string }} ProjectOptions
 * Where the sources are and where their bundle goes: this repository by default (tests build small
 * projects of their own).
 * @param {ProjectOptions} [options]
 */
function project({ root = ROOT, entry = "lib/cli/main.ts" } = {}) {
  const cacheDir = path.join(root, "node_modules", ".cache", "strop-cli");
  return {
    root,
    entry,
    cacheDir,
    pointer: path.join(cacheDir, "current.json"),
    // Inputs esbuild does not report but that change what it produces.
    configFiles: ["tsconfig.json", "package.json", path.relative(root, BUILDER)],
  };
}

const sha1 = (data) => createHash("sha1").update(data).digest("hex");
const entryNamesHash = (dir) => sha1(fs.readdirSync(dir).sort().join("\n"));

function readPointer(p) {
  try {
    const pointer = JSON.parse(fs.readFileSync(p.pointer, "utf8"));
    // A node_modules shared by two checkouts (a symlink) holds the build of the last one that built.
    return pointer.version === MANIFEST_VERSION && pointer.root === p.root ? pointer : undefined;
  } catch {
    return undefined;
  }
}

function fileUnchanged(root, relative, [mtimeMs, size, hash]) {
  const absolute = path.join(root, relative);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size !== size) return false;
  return stat.mtimeMs === mtimeMs || sha1(fs.readFileSync(absolute)) === hash;
}

function dirUnchanged(root, relative, [mtimeMs, namesHash]) {
  const absolute = path.join(root, relative);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return false;
  return stat.mtimeMs === mtimeMs || entryNamesHash(absolute) === namesHash;
}

/**
 * The entry module of a bundle built from the sources as they are now, or undefined.
 * @param {ProjectOptions} [options]
 * @returns {string | undefined}
 */
export function freshBundle(options) {
  const p = project(options);
  const pointer = readPointer(p);
  if (!pointer) return undefined;
  const entry = path.join(p.cacheDir, pointer.entry);
  if (!fs.existsSync(entry)) return undefined;
  for (const [file, record] of Object.entries(pointer.files))
    if (!fileUnchanged(p.root, file, record)) return undefined;
  for (const [dir, record] of Object.entries(pointer.dirs))
    if (!dirUnchanged(p.root, dir, record)) return undefined;
  // The build's date says when a process last started from it (see removeOldBuilds).
  const now = new Date();
  try {
    fs.utimesSync(path.dirname(entry), now, now);
  } catch {
    // A read-only install: its builds are not removed by anyone anyway.
  }
  return entry;
}

/** The folder of the package a node_modules path belongs to ("node_modules/@scope/name"), else undefined. */
function packageDir(relative) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(relative);
  return match?.[1];
}

/**
 * Stamps the inputs after the build: a package by its package.json (installing another version
 * rewrites it), a repository file by itself and its folder. One modified since the build began (less a
 * margin for the file system's coarser clock) may differ from what esbuild read: it gets a stamp that
 * never matches, so the next start builds again.
 */
function describeInputs(p, inputs, startedAt) {
  const changedDuringBuild = (stat) => stat.mtimeMs >= startedAt - 100;
  const files = {};
  const dirs = {};
  const stampFile = (relative) => {
    const absolute = path.join(p.root, relative);
    const stat = fs.statSync(absolute);
    files[relative] = changedDuringBuild(stat)
      ? [0, -1, ""]
      : [stat.mtimeMs, stat.size, sha1(fs.readFileSync(absolute))];
  };
  for (const relative of p.configFiles) stampFile(relative);
  for (const relative of inputs) {
    const pkg = packageDir(relative);
    if (pkg) {
      if (!files[`${pkg}/package.json`]) stampFile(`${pkg}/package.json`);
      continue;
    }
    stampFile(relative);
    const dir = path.dirname(relative);
    if (dirs[dir]) continue;
    const dirStat = fs.statSync(path.join(p.root, dir));
    dirs[dir] = changedDuringBuild(dirStat)
      ? [0, ""]
      : [dirStat.mtimeMs, entryNamesHash(path.join(p.root, dir))];
  }
  return { files, dirs };
}

/** The folder node would load `name` from when importing it from `fromDir` (node_modules lookup). */
function installedAt(fromDir, name) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(candidate)) return fs.realpathSync(candidate);
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * An external package imported by a bundled one is loaded from the bundle's folder, i.e. from the top
 * of node_modules: refuse the build when the importer would have got another copy (a nested version).
 */
function checkExternals(p, metafile) {
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (!packageDir(input)) continue;
    for (const { path: specifier, external } of imports) {
      if (!external || specifier.startsWith("node:") || specifier.startsWith(".")) continue;
      const name = specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
      const wanted = installedAt(path.dirname(path.join(p.root, input)), name);
      if (wanted && wanted !== installedAt(p.cacheDir, name))
        throw new Error(`${input} needs its own copy of ${name} (${wanted}); it cannot stay external`);
    }
  }
}

function removeOldBuilds(p, keep) {
  const builds = path.join(p.cacheDir, "builds");
  for (const name of fs.readdirSync(builds)) {
    if (name === keep) continue;
    const dir = path.join(builds, name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS)
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * Builds the bundle into a directory of its own and then points current.json at it (a rename, so a
 * process starting meanwhile sees the old build or the new one, never half of one). Processes that build
 * at the same time each write their own directory; the last rename wins, and every build is complete.
 * Returns the entry module's path; throws when esbuild is missing or the sources do not compile.
 * @param {ProjectOptions & { quiet?: boolean }} [options]
 * @returns {Promise<string>}
 */
export async function buildBundle({ quiet = true, ...options } = {}) {
  const p = project(options);
  const esbuild = await import("esbuild");
  const startedAt = Date.now();
  const id = `${Date.now().toString(36)}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const outdir = path.join(p.cacheDir, "builds", id);
  const result = await esbuild.build({
    absWorkingDir: p.root,
    entryPoints: { main: p.entry },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL_PACKAGES,
    banner: { js: BANNER },
    tsconfig: "tsconfig.json",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    // Error and class names stay as written (messages and `instanceof` checks print them).
    keepNames: true,
    metafile: true,
    logLevel: quiet ? "silent" : "warning",
  });
  checkExternals(p, result.metafile);
  const { files, dirs } = describeInputs(p, Object.keys(result.metafile.inputs), startedAt);
  const pointer = {
    version: MANIFEST_VERSION,
    root: p.root,
    entry: path.join("builds", id, "main.mjs"),
    files,
    dirs,
  };
  const temporary = `${p.pointer}.${id}`;
  fs.writeFileSync(temporary, JSON.stringify(pointer));
  fs.renameSync(temporary, p.pointer);
  removeOldBuilds(p, id);
  return path.join(outdir, "main.mjs");
}
