// Test fixture: a provider credential stored the way an admin stores one (encrypted, bound to project and
// name), for tests whose runs and batches call the loopback fake server from "the app".
import {
  credentialAssociatedData,
  credentialEncryptionKey,
  credentialFingerprint,
  encryptCredential,
} from "@/lib/auth/credential-encryption";
import { type Db, getProjectById, storeProviderCredential } from "@/lib/db";
import type { CredentialInput, CredentialProvider } from "@/lib/validation/ml-settings";
import { PROVIDER_ENV } from "../credentials/provider-env";
import { credentialPlaintext } from "../credentials/stored";

/** Stores credential `name` (default: the provider's default credential, named after it). */
export async function storeTestCredential(
  db: Db,
  projectId: string,
  provider: CredentialProvider,
  settings: CredentialInput,
  name: string = provider,
): Promise<void> {
  const project = await getProjectById(db, projectId);
  if (!project) throw new Error(`no project ${projectId}`);
  const plaintext = credentialPlaintext(settings);
  await storeProviderCredential(
    db,
    {
      projectId,
      organizationId: project.organization.id,
      name,
      provider,
      endpoint: PROVIDER_ENV[provider].endpoint(settings),
      ciphertext: encryptCredential(
        await credentialEncryptionKey(db),
        plaintext,
        credentialAssociatedData(projectId, name, provider),
      ),
      fingerprint: credentialFingerprint(plaintext),
    },
    { type: "system", id: null, label: "test", ip: null, userAgent: null },
  );
}

/** The project's default OpenAI-compatible credential pointing at `baseURL` (e.g. the fake server). */
export function storeFakeServerCredential(db: Db, projectId: string, baseURL: string): Promise<void> {
  return storeTestCredential(db, projectId, "openai-compatible", { baseURL });
}
