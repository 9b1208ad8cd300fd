// The built-in template library: one YAML file per template in lib/templates/library (file name = slug),
// read and checked once per process. A file that breaks a rule is a bug in what Strop ships, caught by
// library.test.ts; here it fails loudly, naming the file, instead of silently missing from the list.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/core/errors";
import type { TemplateDocument } from "@/lib/validation/templates";
import { parseTemplateYaml } from "./yaml";

/** Where the library lives: the app and the CLI run from the repository's root. */
export const LIBRARY_DIR = path.join(
  /* turbopackIgnore: true */ process.cwd(),
  "lib",
  "templates",
  "library",
);

/** STROP_TEMPLATE_LIBRARY_DIR (a team's own library, or tests' fixtures), else the built-in one. */
export function libraryDir(env: Record<string, string | undefined> = process.env): string {
  return env.STROP_TEMPLATE_LIBRARY_DIR || LIBRARY_DIR;
}

const cache = new Map<string, readonly TemplateDocument[]>();

/** The files of the library, sorted (the slug of each is its name without `.yaml`). */
export function libraryFiles(dir = libraryDir()): string[] {
  let names: string[];
  try {
    // Runtime data, not a build input: without the comment Next's file tracer copies the whole project.
    names = readdirSync(/* turbopackIgnore: true */ dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(".yaml")).sort();
}

/** Reads one library file; throws naming the file when it is not a valid template of its slug. */
export function readLibraryFile(dir: string, file: string): TemplateDocument {
  const slug = file.replace(/\.yaml$/, "");
  try {
    const doc = parseTemplateYaml(readFileSync(path.join(/* turbopackIgnore: true */ dir, file), "utf8"));
    if (doc.slug !== slug) throw new Error(`its slug "${doc.slug}" is not its file name "${slug}"`);
    return doc;
  } catch (error) {
    throw new AppError(
      "template_library_invalid",
      `The built-in template ${file} is invalid: ${(error as Error).message}`,
      500,
    );
  }
}

/** Every built-in template, sorted by name (read once per directory and process). */
export function loadLibrary(dir = libraryDir()): readonly TemplateDocument[] {
  let templates = cache.get(dir);
  if (!templates) {
    templates = libraryFiles(dir)
      .map((file) => readLibraryFile(dir, file))
      .sort((a, b) => a.name.localeCompare(b.name));
    cache.set(dir, templates);
  }
  return templates;
}

/** The built-in template of that slug, or undefined. */
export function findLibraryTemplate(slug: string, dir = libraryDir()): TemplateDocument | undefined {
  return loadLibrary(dir).find((t) => t.slug === slug);
}
