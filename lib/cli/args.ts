// Flags that need checking beyond the parser (./parse-args.ts, kept apart so that `strop --help` loads no
// validation library).
import { InputError } from "@/lib/core/errors";
import { slugSchema } from "@/lib/validation/common";
import type { ParsedArgs } from "./parse-args";

export type { ParsedArgs } from "./parse-args";

export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const value = args.flags[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value === true || !Number.isInteger(n) || n < 1)
    throw new InputError(`--${name} must be a positive integer`);
  return n;
}

/** `--project <slug>`: the project a command works in (default "default"). */
export function projectFlag(args: ParsedArgs): string | undefined {
  const value = args.flags.project;
  if (value === undefined) return undefined;
  const parsed = slugSchema.safeParse(value);
  if (value === true || !parsed.success)
    throw new InputError(
      `--project must be a project slug: ${parsed.error?.issues[0]?.message ?? "give a value"}`,
    );
  return parsed.data;
}
