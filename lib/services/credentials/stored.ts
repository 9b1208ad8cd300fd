// A project's stored credentials, decrypted for the one use that needs them (a run, a batch, a connection
// test). Nothing here logs a credential or puts one in an error message.
import {
  credentialAssociatedData,
  credentialEncryptionKeys,
  decryptCredential,
} from "@/lib/auth/credential-encryption";
import { type Db, listEncryptedCredentials } from "@/lib/db";
import {
  CREDENTIAL_PROVIDERS,
  type CredentialInput,
  type CredentialProvider,
  credentialInputSchemas,
} from "@/lib/validation/ml-settings";

export interface StoredCredential {
  name: string;
  provider: CredentialProvider;
  fingerprint: string;
  settings: CredentialInput;
}

export const isCredentialProvider = (value: string): value is CredentialProvider =>
  (CREDENTIAL_PROVIDERS as readonly string[]).includes(value);

/** The plaintext that is encrypted and fingerprinted: the checked settings as JSON, keys sorted. */
export function credentialPlaintext(credential: CredentialInput): string {
  const entries = Object.entries(credential).filter(([, v]) => v !== undefined);
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
}

/** Every secret-bearing value of a credential, to scrub from messages. */
export function credentialSecrets(credential: CredentialInput): string[] {
  const values = Object.values(credential).filter((v): v is string => typeof v === "string" && v.length >= 6);
  if ("serviceAccountJson" in credential) {
    try {
      const account = JSON.parse(credential.serviceAccountJson) as Record<string, unknown>;
      for (const field of ["private_key", "private_key_id", "client_email", "client_id"]) {
        const value = account[field];
        if (typeof value === "string" && value.length >= 6) values.push(value);
      }
    } catch {
      // checked when stored
    }
  }
  return values.sort((a, b) => b.length - a.length);
}

/**
 * The project's stored credentials (or the one named `name`), decrypted and checked, by name. Unusable
 * ones (another key, damaged, no longer valid) are left out and reported through `warn`.
 */
export async function decryptProjectCredentials(
  db: Db,
  projectId: string,
  warn: (message: string) => void,
  name?: string,
): Promise<Map<string, StoredCredential>> {
  const rows = await listEncryptedCredentials(db, projectId, name);
  const out = new Map<string, StoredCredential>();
  if (rows.length === 0) return out;
  const keys = await credentialEncryptionKeys(db);
  for (const row of rows) {
    if (!isCredentialProvider(row.provider)) continue;
    try {
      const plaintext = decryptCredential(
        keys,
        row.ciphertext,
        credentialAssociatedData(projectId, row.name, row.provider),
      );
      const parsed = credentialInputSchemas[row.provider].safeParse(JSON.parse(plaintext));
      if (!parsed.success) throw new Error("its stored settings are no longer valid");
      out.set(row.name, {
        name: row.name,
        provider: row.provider,
        fingerprint: row.fingerprint,
        settings: parsed.data as CredentialInput,
      });
    } catch (error) {
      // The messages of decryptCredential and the check above never contain the value.
      warn(
        `the stored credential "${row.name}" (${row.fingerprint}) cannot be used: ${(error as Error).message}`,
      );
    }
  }
  return out;
}
