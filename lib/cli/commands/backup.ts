// `strop backup` and `strop restore` (lib/services/backup). The passphrase for the instance secrets
// comes from standard input or STROP_BACKUP_PASSPHRASE, never from the command line (shell history, ps).
import fs from "node:fs";
import path from "node:path";
import { InputError } from "@/lib/core/errors";
import { readPasswordFromStdin } from "@/lib/services/accounts";
import { createBackup, restoreBackup } from "@/lib/services/backup";
import { intFlag, type ParsedArgs } from "../args";

export const BACKUP_USAGE = `strop backup [--out file] [--include-secrets [--passphrase-stdin]] [--keep N] [--json]
  Writes one archive of the whole instance (default: ./strop-<time>.backup.gz) while the app runs.
  --include-secrets  also the instance secrets kept in the database (session secret, credential key),
                     encrypted with a passphrase from standard input (--passphrase-stdin) or
                     STROP_BACKUP_PASSPHRASE; without them, restored credentials need the same
                     STROP_ENCRYPTION_KEY as the source.
  --keep N           then delete all but the N newest strop-*.backup.gz files beside the archive
                     (for scheduled backups: see docs/operations.md).

strop restore <file> [--passphrase-stdin] [--json]
  Loads an archive into the empty database at DATABASE_URL (SQLite or PostgreSQL, either way).`;

const ARCHIVE_NAME = /^strop-.*\.backup\.gz$/;

async function passphrase(args: ParsedArgs): Promise<string | undefined> {
  if (args.flags["passphrase-stdin"] === true) return readPasswordFromStdin();
  return process.env.STROP_BACKUP_PASSPHRASE || undefined;
}

function defaultArchiveName(now = new Date()): string {
  return `strop-${now.toISOString().replace(/[:.]/g, "-")}.backup.gz`;
}

/** Deletes all but the `keep` newest archives in `dir` (by name: the names carry the time). */
export function pruneArchives(dir: string, keep: number): string[] {
  const archives = fs
    .readdirSync(dir)
    .filter((name) => ARCHIVE_NAME.test(name))
    .sort()
    .reverse();
  const removed = archives.slice(keep);
  for (const name of removed) fs.rmSync(path.join(dir, name));
  return removed;
}

export async function backupCommand(args: ParsedArgs): Promise<number> {
  const out = typeof args.flags.out === "string" ? args.flags.out : defaultArchiveName();
  let secretsPassphrase: string | undefined;
  if (args.flags["include-secrets"] === true) {
    secretsPassphrase = await passphrase(args);
    if (!secretsPassphrase)
      throw new InputError(
        "--include-secrets needs a passphrase: --passphrase-stdin or STROP_BACKUP_PASSPHRASE",
      );
  }
  const keep = intFlag(args, "keep");
  const summary = await createBackup({ out, secretsPassphrase });
  const removed = keep === undefined ? [] : pruneArchives(path.dirname(path.resolve(out)), keep);
  if (args.flags.json === true) console.log(JSON.stringify({ ...summary, removed }, null, 2));
  else {
    const rows = Object.values(summary.tables).reduce((sum, t) => sum + t.rows, 0);
    console.log(
      `backup written to ${summary.file}: ${Object.keys(summary.tables).length} tables, ${rows} rows, ` +
        `${(summary.bytes / 1024).toFixed(1)} KiB${summary.secrets ? ", instance secrets encrypted" : ""}`,
    );
    for (const name of removed) console.log(`removed old backup ${name}`);
  }
  return 0;
}

export async function restoreCommand(args: ParsedArgs): Promise<number> {
  const [file] = args.positionals;
  if (!file) throw new InputError("name the archive: strop restore <file>");
  const summary = await restoreBackup({ file, secretsPassphrase: await passphrase(args) });
  if (args.flags.json === true) console.log(JSON.stringify(summary, null, 2));
  else {
    const rows = Object.values(summary.tables).reduce((sum, n) => sum + n, 0);
    console.log(
      `restored ${rows} rows into ${Object.keys(summary.tables).length} tables; instance secrets: ${summary.secrets}`,
    );
  }
  return 0;
}
