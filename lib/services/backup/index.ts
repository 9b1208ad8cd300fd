// `strop backup` and `strop restore`: one archive of a whole instance, taken while the app runs, that
// loads into an empty SQLite or PostgreSQL database — so moving from the SQLite default to PostgreSQL
// is a backup and a restore. Stored credentials stay encrypted as stored; the instance secrets (the
// session secret and the credential key, when the database keeps them) go in only when asked for,
// encrypted under a passphrase.
import fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import zlib from "node:zlib";
import { InputError } from "@/lib/core/errors";
import {
  appliedMigrations,
  createClient,
  databaseUrl,
  firstNonEmptyTable,
  migrate,
  providerOf,
  type RestorePage,
  readSnapshot,
  redact,
  writeSnapshot,
} from "@/lib/db";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  ArchiveDigest,
  type ArchiveHeader,
  type ArchiveLine,
  type ArchiveManifest,
  decodeRow,
  decryptSecrets,
  type EncryptedSecrets,
  encodeRow,
  encryptSecrets,
} from "./archive";

export interface BackupOptions {
  out: string;
  url?: string;
  /** Include the instance secrets, encrypted with this passphrase. */
  secretsPassphrase?: string;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  tables: ArchiveManifest["tables"];
  secrets: boolean;
}

/** Writes the archive to `out` (through `out.partial`, renamed once complete: never a half file). */
export async function createBackup(options: BackupOptions): Promise<BackupSummary> {
  const url = options.url ?? databaseUrl();
  const partial = `${options.out}.partial`;
  const gzip = zlib.createGzip();
  const file = fs.createWriteStream(partial);
  const done = new Promise<void>((resolve, reject) => {
    file.on("finish", resolve);
    file.on("error", reject);
    gzip.on("error", reject);
  });
  gzip.pipe(file);
  const write = async (text: string) => {
    if (!gzip.write(text)) await new Promise((resolve) => gzip.once("drain", resolve));
  };
  const digest = new ArchiveDigest();
  const emit = (line: ArchiveLine) => write(digest.add(line));
  const secretRows: Record<string, unknown>[] = [];
  const db = await createClient(url);
  try {
    await readSnapshot(
      db,
      url,
      {
        begin: (migrations) =>
          emit({
            kind: "header",
            format: ARCHIVE_FORMAT,
            version: ARCHIVE_VERSION,
            createdAt: new Date().toISOString(),
            provider: providerOf(url),
            migrations,
            secrets: options.secretsPassphrase !== undefined,
          }),
        table: async (table) => {
          if (!table.secret) await emit({ kind: "table", model: table.model });
        },
        rows: async (table, rows) => {
          if (table.secret) secretRows.push(...rows);
          else await emit({ kind: "rows", rows: rows.map(encodeRow) });
        },
      },
      { includeSecrets: options.secretsPassphrase !== undefined },
    );
    if (options.secretsPassphrase !== undefined)
      await emit(encryptSecrets(secretRows, options.secretsPassphrase));
    const manifest = digest.manifest();
    await write(`${JSON.stringify(manifest)}\n`);
    gzip.end();
    await done;
    fs.renameSync(partial, options.out);
    return {
      file: options.out,
      bytes: fs.statSync(options.out).size,
      tables: manifest.tables,
      secrets: options.secretsPassphrase !== undefined,
    };
  } catch (error) {
    gzip.destroy();
    file.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await db.$disconnect();
  }
}

/** The archive's lines, parsed, streamed from the compressed file. */
async function* readLines(file: string): AsyncGenerator<{ line: ArchiveLine; text: string; number: number }> {
  const decoder = new StringDecoder("utf8");
  let buffered = "";
  let number = 0;
  const source = fs.createReadStream(file).pipe(zlib.createGunzip());
  const parse = (text: string) => {
    number++;
    try {
      return { line: JSON.parse(text) as ArchiveLine, text, number };
    } catch {
      throw new InputError(`${file}: line ${number} is not JSON: the archive is damaged`);
    }
  };
  try {
    for await (const chunk of source) {
      buffered += decoder.write(chunk as Buffer);
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        yield parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot be read as a Strop backup (${(error as Error).message})`);
  }
  buffered += decoder.end();
  if (buffered.trim() !== "") yield parse(buffered);
}

/** Reads the whole archive and checks every checksum: the header, or an InputError naming the damage. */
export async function verifyArchive(
  file: string,
): Promise<{ header: ArchiveHeader; manifest: ArchiveManifest }> {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  const digest = new ArchiveDigest();
  let header: ArchiveHeader | undefined;
  let manifest: ArchiveManifest | undefined;
  for await (const { line, text, number } of readLines(file)) {
    if (number === 1) {
      if (line.kind !== "header" || line.format !== ARCHIVE_FORMAT)
        throw new InputError(`${file}: not a Strop backup (no header)`);
      if (line.version > ARCHIVE_VERSION)
        throw new InputError(
          `${file}: archive format ${line.version} is newer than this Strop reads (${ARCHIVE_VERSION})`,
        );
      header = line;
    }
    if (manifest) throw new InputError(`${file}: lines after the manifest: the archive is damaged`);
    if (line.kind === "manifest") manifest = line;
    digest.add(line, text);
  }
  if (!header || !manifest)
    throw new InputError(`${file}: the archive is incomplete (no manifest): it was cut short`);
  const computed = digest.manifest();
  if (computed.sha256 !== manifest.sha256)
    throw new InputError(
      `${file}: checksum mismatch: the archive is damaged or was changed; nothing was restored`,
    );
  for (const [model, entry] of Object.entries(manifest.tables)) {
    const actual = computed.tables[model];
    if (!actual || actual.rows !== entry.rows || actual.sha256 !== entry.sha256)
      throw new InputError(`${file}: table ${model} does not match its checksum; nothing was restored`);
  }
  return { header, manifest };
}

export interface RestoreOptions {
  file: string;
  url?: string;
  /** To restore the instance secrets of an archive that holds them. */
  secretsPassphrase?: string;
}

export interface RestoreSummary {
  tables: Record<string, number>;
  secrets: "restored" | "not in the archive" | "skipped (no passphrase)";
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const url = options.url ?? databaseUrl();
  const { header, manifest } = await verifyArchive(options.file);
  await migrate(url);
  const db = await createClient(url);
  try {
    const migrations = await appliedMigrations(db);
    if (migrations.at(-1) !== header.migrations.at(-1)) {
      throw new InputError(
        `${options.file} was taken at schema ${header.migrations.at(-1) ?? "(none)"}, this Strop is at ${migrations.at(-1) ?? "(none)"}: restore it with the Strop version that took it, then upgrade`,
      );
    }
    const busy = await firstNonEmptyTable(db);
    if (busy) {
      throw new InputError(
        `the database ${redact(url)} is not empty (${busy.model} has ${busy.rows} rows): restore only into an empty database`,
      );
    }
    let secrets: RestoreSummary["secrets"] = header.secrets
      ? "skipped (no passphrase)"
      : "not in the archive";
    const digest = new ArchiveDigest();
    async function* pages(): AsyncGenerator<RestorePage> {
      let model = "";
      for await (const { line, text } of readLines(options.file)) {
        digest.add(line, text);
        if (line.kind === "table") model = line.model;
        else if (line.kind === "rows") yield { model, rows: line.rows.map(decodeRow) };
        else if (line.kind === "secrets" && options.secretsPassphrase !== undefined) {
          const rows = decryptSecrets(line as EncryptedSecrets, options.secretsPassphrase);
          if (!rows)
            throw new InputError("wrong passphrase for the archive's instance secrets; nothing was restored");
          yield { model: "InstanceSecret", rows };
          secrets = "restored";
        }
      }
    }
    const tables = await writeSnapshot(db, url, pages(), () => {
      // The file was read twice: it must be the one that was verified.
      if (digest.manifest().sha256 !== manifest.sha256)
        throw new InputError(`${options.file} changed while it was restored; nothing was restored`);
    });
    return { tables, secrets };
  } finally {
    await db.$disconnect();
  }
}
