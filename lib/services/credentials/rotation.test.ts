// Key rotation on both databases: every stored credential ends under the new key and still opens.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  credentialAssociatedData,
  credentialEncryptionKeys,
  decryptCredential,
  ENCRYPTION_KEY_INSTANCE_SECRET,
  encryptCredential,
  keyFrom,
} from "@/lib/auth/credential-encryption";
import { ensureProject, getInstanceSecret } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { storeTestCredential } from "../testing/credentials";
import { rotateCredentialEncryptionKey } from "./rotation";

const actor = { type: "system" as const, id: null, label: "test" };
const NO_KEY = {};

describe.each(TEST_PROVIDERS)("rotating the credential encryption key (%s)", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "all" });
  let projectId: string;
  /** The configured key after the second test. */
  let current = "";

  const plaintexts = async (env: Record<string, string>) => {
    const ring = await credentialEncryptionKeys(fixture.db, env);
    const rows = await fixture.db.providerCredential.findMany({ orderBy: { name: "asc" } });
    return rows.map((row) => ({
      keyId: row.ciphertext.split(".")[1],
      text: decryptCredential(
        ring,
        row.ciphertext,
        credentialAssociatedData(row.projectId, row.name, row.provider),
      ),
    }));
  };

  beforeAll(async () => {
    projectId = (await ensureProject(fixture.db, "keys")).id;
    // Stored under the database's key (no key configured: a laptop install).
    await storeTestCredential(fixture.db, projectId, "openai", { apiKey: "sk-first-0123456789" });
    await storeTestCredential(
      fixture.db,
      projectId,
      "openai-compatible",
      { baseURL: "https://a.example/v1" },
      "second",
    );
  });

  it("with the key in the database: a new key, every envelope re-encrypted, in one step", async () => {
    const before = await plaintexts(NO_KEY);
    const oldKeyId = before[0]!.keyId;
    const result = await rotateCredentialEncryptionKey(fixture.db, { env: NO_KEY, actor });
    expect(result).toMatchObject({
      keySource: "database",
      reencrypted: 2,
      alreadyCurrent: 0,
      unreadable: [],
    });
    expect(result.keyId).not.toBe(oldKeyId);
    const after = await plaintexts(NO_KEY);
    expect(after.map((p) => p.text)).toEqual(before.map((p) => p.text));
    expect(after.every((p) => p.keyId === result.keyId)).toBe(true);
    const audit = await fixture.db.auditLog.findFirstOrThrow({
      where: { action: "credentials.key_rotated" },
    });
    expect(audit.after).toEqual({ keyId: result.keyId, reencrypted: 2 });
  });

  it("moving to a configured key: the database's key opens the old envelopes, then can be dropped", async () => {
    const configured = randomBytes(32).toString("base64");
    const env = { STROP_ENCRYPTION_KEY: configured };
    const before = await plaintexts(env);
    const result = await rotateCredentialEncryptionKey(fixture.db, { env, dropDatabaseKey: true, actor });
    expect(result).toMatchObject({ keySource: "env", reencrypted: 2, databaseKeyRemoved: true });
    expect(result.keyId).toBe(keyFrom(configured, "env").id);
    expect(await getInstanceSecret(fixture.db, ENCRYPTION_KEY_INSTANCE_SECRET)).toBeUndefined();
    expect((await plaintexts(env)).map((p) => p.text)).toEqual(before.map((p) => p.text));

    // Running it again changes nothing.
    expect(await rotateCredentialEncryptionKey(fixture.db, { env, actor })).toMatchObject({
      reencrypted: 0,
      alreadyCurrent: 2,
    });

    // The next rotation: a new key, the old one listed as previous.
    const next = randomBytes(32).toString("base64");
    const rotated = await rotateCredentialEncryptionKey(fixture.db, {
      env: { STROP_ENCRYPTION_KEY: next, STROP_ENCRYPTION_KEY_PREVIOUS: configured },
      actor,
    });
    expect(rotated).toMatchObject({ reencrypted: 2, unreadable: [] });
    expect((await plaintexts({ STROP_ENCRYPTION_KEY: next })).map((p) => p.text)).toEqual(
      before.map((p) => p.text),
    );
    current = next;
  });

  it("reports a credential no key opens, by name, and keeps going", async () => {
    const lost = keyFrom(randomBytes(32).toString("base64"), "env");
    const row = await fixture.db.providerCredential.findFirstOrThrow({ where: { name: "second" } });
    await fixture.db.providerCredential.update({
      where: { id: row.id },
      data: {
        ciphertext: encryptCredential(
          lost,
          "{}",
          credentialAssociatedData(row.projectId, row.name, row.provider),
        ),
      },
    });
    const env = {
      STROP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      STROP_ENCRYPTION_KEY_PREVIOUS: current,
    };
    const result = await rotateCredentialEncryptionKey(fixture.db, { env, dropDatabaseKey: true, actor });
    expect(result.reencrypted).toBe(1);
    expect(result.unreadable).toEqual([
      { projectId, name: "second", reason: expect.stringContaining("another key") },
    ]);
    expect(JSON.stringify(result)).not.toContain("sk-first");
  });
});
