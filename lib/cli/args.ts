// A small argument parser: positionals, `--flag`, `--name value` and `--name=value`.
import { InputError } from "@/lib/core/errors";
import { slugSchema } from "@/lib/validation/common";

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export function parseArgs(argv: string[], valueFlags: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (valueFlags.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new InputError(`--${name} needs a value`);
      flags[name] = value;
    } else {
      flags[name] = true;
    }
  }
  return { positionals, flags };
}

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
