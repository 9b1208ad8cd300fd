import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import {
  CredentialDecryptionError,
  credentialAssociatedData,
  credentialEncryptionKey,
  credentialFingerprint,
  decryptCredential,
  type EncryptionKey,
  EncryptionKeyError,
  encryptCredential,
} from "./credential-encryption";

const envWithKey = (key = randomBytes(32).toString("base64")) => ({ STROP_ENCRYPTION_KEY: key });
const keyOf = (text = randomBytes(32).toString("base64")) =>
  credentialEncryptionKey({} as Db, envWithKey(text));
const AAD = credentialAssociatedData("project-1", "openai", "openai");
const SECRET = '{"apiKey":"sk-test-0123456789abcdef"}';

/** Flips one bit of part `index` (1 key id … 4 ciphertext) of an envelope. */
function tamper(envelope: string, index: number): string {
  const parts = envelope.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("AES-256-GCM credential envelopes", () => {
  let key: EncryptionKey;
  beforeAll(async () => {
    key = await keyOf();
  });

  it("round-trips, with a fresh IV each time and no plaintext in the envelope", () => {
    const a = encryptCredential(key, SECRET, AAD);
    const b = encryptCredential(key, SECRET, AAD);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain("sk-test");
    expect(decryptCredential(key, a, AAD)).toBe(SECRET);
    expect(decryptCredential(key, b, AAD)).toBe(SECRET);
  });

  it.each([
    ["the ciphertext", 4],
    ["the tag", 3],
    ["the IV", 2],
  ])("detects a modified %s", (_label, index) => {
    const envelope = encryptCredential(key, SECRET, AAD);
    expect(() => decryptCredential(key, tamper(envelope, index), AAD)).toThrow(CredentialDecryptionError);
  });

  it("detects a truncated tag, a damaged format and a ciphertext moved to another project or provider", () => {
    const envelope = encryptCredential(key, SECRET, AAD);
    const parts = envelope.split(".");
    const shortTag = [...parts.slice(0, 3), parts[3]!.slice(0, 10), parts[4]].join(".");
    expect(() => decryptCredential(key, shortTag, AAD)).toThrow(CredentialDecryptionError);
    expect(() => decryptCredential(key, "v1.garbage", AAD)).toThrow(CredentialDecryptionError);
    expect(() =>
      decryptCredential(key, envelope, credentialAssociatedData("project-2", "openai", "openai")),
    ).toThrow(/integrity/);
    expect(() =>
      decryptCredential(key, envelope, credentialAssociatedData("project-1", "anthropic", "anthropic")),
    ).toThrow(/integrity/);
  });

  it("says when another key encrypted it, and never puts the plaintext in an error", async () => {
    const envelope = encryptCredential(key, SECRET, AAD);
    const other = await keyOf();
    let message = "";
    try {
      decryptCredential(other, envelope, AAD);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/another key/);
    expect(message).not.toContain("sk-test");
  });

  it("refuses a configured key that is not 32 bytes of base64", async () => {
    await expect(keyOf(randomBytes(16).toString("base64"))).rejects.toThrow(EncryptionKeyError);
    await expect(keyOf(randomBytes(16).toString("base64"))).rejects.toThrow(
      /STROP_ENCRYPTION_KEY must be 32 bytes/,
    );
    const urlSafe = randomBytes(32).toString("base64url");
    expect((await keyOf(urlSafe)).key).toHaveLength(32);
  });

  it("fingerprints with the first 8 hex of the sha256", () => {
    expect(credentialFingerprint("abc")).toBe("ba7816bf");
  });
});

describe.each(TEST_PROVIDERS)("the generated key on %s", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });

  it("is generated once, stored as an instance secret and shared by every client of the database", async () => {
    const first = await credentialEncryptionKey(fixture.db, {});
    expect(first.source).toBe("database");
    const other = await openDb(fixture.database.url);
    try {
      const second = await credentialEncryptionKey(other, {});
      expect(second.key.equals(first.key)).toBe(true);
      const envelope = encryptCredential(first, SECRET, AAD);
      expect(decryptCredential(second, envelope, AAD)).toBe(SECRET);
    } finally {
      await other.$disconnect();
    }
    expect(await fixture.db.instanceSecret.count({ where: { name: "credentials.encryption-key" } })).toBe(1);
    // The environment's key wins when set (and is another key: old envelopes say so).
    const fromEnv = await credentialEncryptionKey(fixture.db, envWithKey());
    expect(fromEnv.source).toBe("env");
    expect(fromEnv.id).not.toBe(first.id);
  });
});
