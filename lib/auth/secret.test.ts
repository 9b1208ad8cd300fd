// Instance secrets from the operator: variables or files (Docker/Kubernetes secrets), and the start-up
// warning when they come from the database instead.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configuredEncryptionKey, EncryptionKeyError, keyFrom } from "./credential-encryption";
import { configuredSessionSecret, secretsFromDatabase } from "./secret";

const dir = mkdtempSync(path.join(tmpdir(), "strop-secrets-"));
const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};

describe("configured instance secrets", () => {
  it("reads the session secret and the encryption key from a variable or a file", () => {
    const key = randomBytes(32).toString("base64");
    expect(configuredSessionSecret({ NEXTAUTH_SECRET_FILE: file("session", "from-file\n") })).toBe(
      "from-file",
    );
    expect(configuredSessionSecret({ AUTH_SECRET: "from-env" })).toBe("from-env");
    expect(configuredEncryptionKey({ STROP_ENCRYPTION_KEY_FILE: file("key", `${key}\n`) })).toMatchObject({
      id: keyFrom(key, "file").id,
      source: "file",
    });
  });

  it("refuses an unreadable or empty file, naming the variable", () => {
    expect(() => configuredEncryptionKey({ STROP_ENCRYPTION_KEY_FILE: path.join(dir, "missing") })).toThrow(
      /STROP_ENCRYPTION_KEY_FILE names .*missing, which cannot be read \(ENOENT\)/,
    );
    expect(() => configuredSessionSecret({ NEXTAUTH_SECRET_FILE: file("empty", "  \n") })).toThrow(
      EncryptionKeyError,
    );
  });

  it("names what comes from the database, for the start-up warning", () => {
    expect(secretsFromDatabase({})).toEqual([
      expect.stringContaining("session secret"),
      expect.stringContaining("credential encryption key"),
    ]);
    expect(
      secretsFromDatabase({ NEXTAUTH_SECRET: "s", STROP_ENCRYPTION_KEY: randomBytes(32).toString("base64") }),
    ).toEqual([]);
  });
});
