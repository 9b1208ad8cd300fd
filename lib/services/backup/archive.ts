// The backup archive: gzip-compressed JSON lines. A header (format, engine, migrations), then per table
// a `table` line and its rows in pages, the instance secrets (only when asked for) encrypted under a
// passphrase, and last a manifest with each table's row count and SHA-256 and the SHA-256 of every
// line before it. Values JSON cannot carry (dates, big integers, bytes) are tagged per row.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from "node:crypto";

export const ARCHIVE_FORMAT = "strop-backup";
export const ARCHIVE_VERSION = 1;

export interface ArchiveHeader {
  kind: "header";
  format: typeof ARCHIVE_FORMAT;
  version: number;
  createdAt: string;
  /** The engine the backup was taken from (a restore may go to either). */
  provider: "sqlite" | "postgresql";
  /** Migrations the source had applied: the schema version. */
  migrations: string[];
  secrets: boolean;
}

export interface ArchiveManifest {
  kind: "manifest";
  tables: Record<string, { rows: number; sha256: string }>;
  /** SHA-256 of every line before this one, newlines included. */
  sha256: string;
}

export interface EncryptedSecrets {
  kind: "secrets";
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export type ArchiveLine =
  | ArchiveHeader
  | { kind: "table"; model: string }
  | { kind: "rows"; rows: EncodedRow[] }
  | EncryptedSecrets
  | ArchiveManifest;

type Row = Record<string, unknown>;
type Tag = "date" | "bigint" | "bytes";
export interface EncodedRow {
  v: Row;
  t?: Record<string, Tag>;
}

export function encodeRow(row: Row): EncodedRow {
  const v: Row = {};
  const t: Record<string, Tag> = {};
  for (const [field, value] of Object.entries(row)) {
    if (value instanceof Date) {
      v[field] = value.toISOString();
      t[field] = "date";
    } else if (typeof value === "bigint") {
      v[field] = value.toString();
      t[field] = "bigint";
    } else if (value instanceof Uint8Array) {
      v[field] = Buffer.from(value).toString("base64");
      t[field] = "bytes";
    } else v[field] = value;
  }
  return Object.keys(t).length > 0 ? { v, t } : { v };
}

export function decodeRow(encoded: EncodedRow): Row {
  const row: Row = { ...encoded.v };
  for (const [field, tag] of Object.entries(encoded.t ?? {})) {
    const value = row[field];
    if (typeof value !== "string") continue;
    if (tag === "date") row[field] = new Date(value);
    else if (tag === "bigint") row[field] = BigInt(value);
    else row[field] = Buffer.from(value, "base64");
  }
  return row;
}

/** Running checksums: the whole archive's, and each table's over its rows lines. */
export class ArchiveDigest {
  private readonly all = createHash("sha256");
  private table: { model: string; hash: ReturnType<typeof createHash>; rows: number } | null = null;
  readonly tables: ArchiveManifest["tables"] = {};

  /** Feeds one serialized line (without its newline) and returns it with the newline. */
  add(line: ArchiveLine, text = JSON.stringify(line)): string {
    const withNewline = `${text}\n`;
    if (line.kind === "manifest") return withNewline;
    this.all.update(withNewline);
    if (line.kind === "table") {
      this.closeTable();
      this.table = { model: line.model, hash: createHash("sha256"), rows: 0 };
    } else if (line.kind === "rows" && this.table) {
      this.table.hash.update(withNewline);
      this.table.rows += line.rows.length;
    } else this.closeTable();
    return withNewline;
  }

  private closeTable(): void {
    if (!this.table) return;
    this.tables[this.table.model] = { rows: this.table.rows, sha256: this.table.hash.digest("hex") };
    this.table = null;
  }

  manifest(): ArchiveManifest {
    this.closeTable();
    return { kind: "manifest", tables: this.tables, sha256: this.all.digest("hex") };
  }
}

// scrypt cost for the passphrase key: 2^15 as for passwords (lib/auth), 32 MiB of memory.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function encryptSecrets(rows: Row[], passphrase: string): EncryptedSecrets {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(passphrase, salt, 32, SCRYPT);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(rows.map(encodeRow)), "utf8"), cipher.final()]);
  return {
    kind: "secrets",
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
}

/** The secrets' rows, or null when the passphrase is wrong (GCM's tag does not verify). */
export function decryptSecrets(secrets: EncryptedSecrets, passphrase: string): Row[] | null {
  const key = scryptSync(passphrase, Buffer.from(secrets.salt, "base64"), 32, SCRYPT);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(secrets.iv, "base64"));
  decipher.setAuthTag(Buffer.from(secrets.tag, "base64"));
  try {
    const text = Buffer.concat([decipher.update(Buffer.from(secrets.data, "base64")), decipher.final()]);
    return (JSON.parse(text.toString("utf8")) as EncodedRow[]).map(decodeRow);
  } catch {
    return null;
  }
}
