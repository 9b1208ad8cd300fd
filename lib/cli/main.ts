// `strop`: optimize and evaluate prompts from task files, inspect runs, manage the database.
import { AppError } from "@/lib/core/errors";
import { type ParsedArgs, parseArgs } from "./parse-args";

/**
 * Each command's module (and the database) loads only when that command runs: `strop --help` loads
 * almost nothing, which keeps the CLI's start fast (docs/benchmarks.md).
 */
const COMMANDS: Record<string, (args: ParsedArgs) => Promise<number>> = {
  optimize: async (args) => (await import("./commands/optimize")).optimizeCommand(args),
  eval: async (args) => (await import("./commands/optimize")).evalCommand(args),
  runs: async (args) => (await import("./commands/runs")).runsCommand(args),
  batch: async (args) => {
    const { BATCH_USAGE, batchCommand } = await import("./commands/batch");
    if (!args.flags.help) return batchCommand(args);
    console.log(BATCH_USAGE);
    return 0;
  },
  export: async (args) => {
    const { EXPORT_USAGE, exportCommand } = await import("./commands/export");
    if (!args.flags.help) return exportCommand(args);
    console.log(EXPORT_USAGE);
    return 0;
  },
  compare: async (args) => {
    const { COMPARE_USAGE, compareCommand } = await import("./commands/compare");
    if (!args.flags.help) return compareCommand(args);
    console.log(COMPARE_USAGE);
    return 0;
  },
  backup: async (args) => {
    const { BACKUP_USAGE, backupCommand } = await import("./commands/backup");
    if (!args.flags.help) return backupCommand(args);
    console.log(BACKUP_USAGE);
    return 0;
  },
  restore: async (args) => {
    const { BACKUP_USAGE, restoreCommand } = await import("./commands/backup");
    if (!args.flags.help) return restoreCommand(args);
    console.log(BACKUP_USAGE);
    return 0;
  },
  db: async (args) => (await import("./commands/db")).dbCommand(args),
  admin: async (args) => (await import("./commands/admin")).adminCommand(args),
};

const USAGE = `strop — make LLM prompts measurably better

Usage:
  strop optimize <task-file> [--json] [--quiet]   run the 5-step optimization loop on a task file
  strop eval <task-file> [--version N] [--json]   score a prompt (the file's, or stored version N) on its dataset
                                                  (both: --project <slug> to work in a project other than "default")
  strop runs list [--limit N] [--json]            recent runs
  strop runs show <run-id> [--json]               one run: iterations, candidates, report
  strop runs resume <run-id> [--json]             continue an unfinished, failed or cancelled run from its
                                                  last finished step
  strop runs cancel <run-id>                      cancel a queued or running run
  strop batch <task-file|task> --input <rows.csv|rows.jsonl> [--out results.jsonl|csv] [--json]
                                                  run a prompt over every row of a file (see \`strop batch --help\`)
  strop batch --resume <batch-id>                 continue an interrupted, failed or cancelled batch
  strop export <task> [--version N | --label L] [--out file.yaml]
                                                  a stored prompt version as a task file for optimize
  strop admin create-user --email E --password-stdin [--name N] [--org O]
                                                  create a user (the first one owns the default project)
  strop admin rotate-encryption-key [--drop-database-key] [--json]
                                                  re-encrypt every stored credential under the current key
                                                  (see docs/security.md)
  strop compare <task-file> [--strategies a,b] [--budget-calls N]
                                                  every search strategy on the same task, data and budget
  strop backup [--out file] [--include-secrets] [--keep N]
                                                  one archive of the whole instance, taken while it runs
  strop restore <file>                            load an archive into an empty database (SQLite or
                                                  PostgreSQL; see \`strop backup --help\`)
  strop db migrate                                apply database migrations
  strop help                                      this text

Every command takes --profile: a CPU profile of it, written to STROP_PROFILE_DIR or the current folder
(docs/performance.md).
Task files are JSON or YAML; see the README's task-file reference.
Database: DATABASE_URL (postgresql://… or file:…); default: SQLite at .strop/strop.db.`;

const VALUE_FLAGS = [
  "project",
  "version",
  "limit",
  "email",
  "name",
  "org",
  "input",
  "model",
  "chunk-size",
  "on-malformed",
  "out",
  "resume",
  "label",
  "dataset",
  "keep",
  "strategies",
  "budget-calls",
  "budget-tokens",
  "budget-usd",
] as const;

export async function main(argv: string[]): Promise<number> {
  let ranCommand = false;
  try {
    const args = parseArgs(argv, VALUE_FLAGS);
    const [command, ...rest] = args.positionals;
    if (command === undefined || command === "help") {
      console.log(USAGE);
      return 0;
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) {
      console.error(`strop: unknown command "${command}"\n\n${USAGE}`);
      return 2;
    }
    ranCommand = true;
    const commandArgs = { ...args, positionals: rest };
    // --profile: a CPU profile of the whole command, into STROP_PROFILE_DIR or the current folder.
    if (args.flags.profile !== true) return await run(commandArgs);
    const { withCpuProfile } = await import("@/lib/services/profiling");
    return await withCpuProfile(process.env.STROP_PROFILE_DIR || ".", `strop-${command}`, () =>
      run(commandArgs),
    );
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`strop: ${error.message}`);
      return 2;
    }
    console.error(`strop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    if (ranCommand) await (await import("@/lib/services/database")).closeDb();
  }
}
