#!/usr/bin/env node
// `npm run db:generate` (also the package's postinstall): derives prisma/postgres/schema.prisma from
// prisma/schema.prisma and generates both Prisma clients into lib/db/generated/{sqlite,postgres}.
//
// Works offline: `prisma generate` only needs PRISMA_SCHEMA_ENGINE_BINARY to point at an existing file
// (it never runs it), otherwise the CLI tries to download the native schema engine first and fails.
// A client whose schema and Prisma version did not change is not regenerated (pass --force to).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { POSTGRES_SCHEMA, ROOT, SQLITE_SCHEMA, writePostgresSchema } from "./prisma-schemas.mjs";

const require = createRequire(import.meta.url);
const force = process.argv.includes("--force");

/** @type {string} */
let prismaDir;
try {
  prismaDir = path.dirname(require.resolve("prisma/package.json"));
} catch {
  // e.g. `npm ci --omit=dev` (prisma is a devDependency): keep the install going, say what is missing.
  console.warn(
    "prisma-generate: the prisma CLI is not installed; skipped (run `npm run db:generate` later).",
  );
  process.exit(0);
}
const prismaCli = path.join(prismaDir, "build", "index.js");
const prismaVersion = JSON.parse(fs.readFileSync(path.join(prismaDir, "package.json"), "utf8")).version;

const schemas = writePostgresSchema();
const targets = [
  { name: "sqlite", schemaPath: SQLITE_SCHEMA, text: schemas.sqlite },
  { name: "postgres", schemaPath: POSTGRES_SCHEMA, text: schemas.postgresql },
];

/** @param {string} text */
const fingerprint = (text) => createHash("sha256").update(`${prismaVersion}\n${text}`).digest("hex");

/** @param {string} schemaPath */
function generate(schemaPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, "generate", "--schema", schemaPath], {
      cwd: ROOT,
      env: {
        ...process.env,
        // Any existing file will do: generate never runs the schema engine.
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`prisma generate --schema ${schemaPath} failed:\n${output}`)),
    );
  });
}

const started = Date.now();
const results = await Promise.all(
  targets.map(async ({ name, schemaPath, text }) => {
    const outDir = path.join(ROOT, "lib", "db", "generated", name);
    const stamp = path.join(outDir, ".schema-fingerprint");
    const wanted = fingerprint(text);
    const fresh =
      fs.existsSync(path.join(outDir, "client.ts")) &&
      fs.existsSync(stamp) &&
      fs.readFileSync(stamp, "utf8") === wanted;
    if (fresh && !force) return `${name}: up to date`;
    await generate(schemaPath);
    fs.writeFileSync(stamp, wanted);
    return `${name}: generated`;
  }),
).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

console.log(`prisma clients (${results.join(", ")}) in ${Date.now() - started} ms`);
