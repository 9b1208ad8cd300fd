// `strop`: optimize and evaluate prompts from task files, inspect runs, manage the database.
import { AppError } from "@/lib/core/errors";
import { closeDb } from "@/lib/db";
import { parseArgs } from "./args";
import { adminCommand } from "./commands/admin";
import { BATCH_USAGE, batchCommand } from "./commands/batch";
import { dbCommand } from "./commands/db";
import { evalCommand, optimizeCommand } from "./commands/optimize";
import { runsCommand } from "./commands/runs";

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
  strop admin create-user --email E --password-stdin [--name N] [--org O]
                                                  create a user (the first one owns the default project)
  strop admin rotate-encryption-key [--drop-database-key] [--json]
                                                  re-encrypt every stored credential under the current key
                                                  (see docs/security.md)
  strop db migrate                                apply database migrations
  strop help                                      this text

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
] as const;

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv, VALUE_FLAGS);
    const [command, ...rest] = args.positionals;
    const sub = { ...args, positionals: rest };
    switch (command) {
      case "optimize":
        return await optimizeCommand(sub);
      case "eval":
        return await evalCommand(sub);
      case "runs":
        return await runsCommand(sub);
      case "batch":
        if (sub.flags.help) {
          console.log(BATCH_USAGE);
          return 0;
        }
        return await batchCommand(sub);
      case "db":
        return await dbCommand(sub);
      case "admin":
        return await adminCommand(sub);
      case undefined:
      case "help":
        console.log(USAGE);
        return 0;
      default:
        console.error(`strop: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`strop: ${error.message}`);
      return 2;
    }
    console.error(`strop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await closeDb();
  }
}
