// Stored JSON: what lib/db writes into a Json column and how it reads it back. A document of ours (a
// run's config, progress and report, an iteration's summary, a batch's model and cache settings, a
// latency summary) carries `schemaVersion`; a row written before versions existed has none and reads as
// version 1. Reading upgrades an older document step by step to the current version and parses it with
// its zod schema; a newer version than this code knows, or a document that does not parse, is a
// StoredStateError (a 500 naming the row, never a silent `as`). Plain values (a row's variables, a list
// of column names, a prompt's demos) are parsed with `readStored` and carry no version: their shape is
// the value's own.
import type * as z from "zod";
import { AppError } from "@/lib/core/errors";

/** A stored value that this version of Strop cannot read: data written by a newer version, or damaged. */
export class StoredStateError extends AppError {
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super("stored_state_invalid", `${where}: ${reason}`, 500);
    this.name = "StoredStateError";
  }
}

export const SCHEMA_VERSION = "schemaVersion";

/** Versions before the current one, each with how to turn it into the next. */
export type Upgrades = Record<number, (document: Record<string, unknown>) => Record<string, unknown>>;

export interface StoredDocument<T> {
  /** What it is, for messages: "run report", "batch model". */
  readonly name: string;
  /** The version `write` stamps. */
  readonly version: number;
  /** The value checked against the current schema, as stored: its fields plus `schemaVersion`. */
  write(value: T, where: string): Record<string, unknown>;
  /** A stored value as the current version's shape (without `schemaVersion`). */
  read(value: unknown, where: string): T;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

/** A plain stored value (no version) parsed by `schema`; StoredStateError when it does not parse. */
export function readStored<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoredStateError(where, `not the stored shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A versioned document: `schema` is the current version's shape (an object schema); `upgrades[n]` turns
 * version n into n + 1 for every n below `version`.
 */
export function storedDocument<S extends z.ZodType<object>>(options: {
  name: string;
  schema: S;
  version?: number;
  upgrades?: Upgrades;
}): StoredDocument<z.output<S>> {
  const { name, schema, upgrades = {} } = options;
  const version = options.version ?? 1;
  for (let v = 1; v < version; v++)
    if (!upgrades[v]) throw new Error(`${name}: no upgrade from version ${v} to ${v + 1}`);
  return {
    name,
    version,
    write(value, where) {
      const parsed = schema.safeParse(value);
      if (!parsed.success)
        throw new StoredStateError(where, `cannot store this ${name} (${describeIssues(parsed.error)})`);
      return { ...parsed.data, [SCHEMA_VERSION]: version };
    },
    read(value, where) {
      if (!isRecord(value)) throw new StoredStateError(where, `the stored ${name} is not an object`);
      const { [SCHEMA_VERSION]: stamped, ...fields } = value;
      const from = stamped === undefined ? 1 : stamped;
      if (typeof from !== "number" || !Number.isInteger(from) || from < 1)
        throw new StoredStateError(
          where,
          `the stored ${name} has an invalid ${SCHEMA_VERSION} (${String(from)})`,
        );
      if (from > version)
        throw new StoredStateError(
          where,
          `the stored ${name} has ${SCHEMA_VERSION} ${from}, written by a newer Strop; this one reads up to ${version}`,
        );
      let document: Record<string, unknown> = fields;
      for (let v = from; v < version; v++) document = upgrades[v]!(document);
      const parsed = schema.safeParse(document);
      if (!parsed.success)
        throw new StoredStateError(
          where,
          `the stored ${name} does not parse (${describeIssues(parsed.error)})`,
        );
      return parsed.data;
    },
  };
}
