// Provider credentials of a project, by name: statuses (everyone: set or not, provider, endpoint, a
// fingerprint, who and when — never a value), and set, replace and remove (admins). A credential is bound
// to its endpoint: the base URL is part of the encrypted settings, so only whoever may write the key
// decides where it is sent, and changing the endpoint means sending the whole credential again.
import {
  credentialAssociatedData,
  credentialEncryptionKey,
  credentialFingerprint,
  encryptCredential,
} from "@/lib/auth/credential-encryption";
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError, NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  credentialUsers,
  type Db,
  listCredentialStatuses,
  removeProviderCredential,
  storeProviderCredential,
} from "@/lib/db";
import {
  CREDENTIAL_PROVIDERS,
  type CredentialInput,
  type CredentialProvider,
  configNameSchema,
  credentialInputSchemas,
  credentialProviderSchema,
} from "@/lib/validation/ml-settings";
import { parseInput } from "@/lib/validation/parse";
import { environmentConfigures, PROVIDER_ENV, serverProviderEnv } from "./provider-env";
import { credentialPlaintext, isCredentialProvider } from "./stored";

export interface CredentialStatus {
  name: string;
  provider: CredentialProvider;
  set: boolean;
  endpoint: string | null;
  fingerprint: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
  /** A provider's default credential: the server's environment configures the provider and wins. */
  environment: boolean;
  /** Model configurations that name this credential. */
  usedBy: string[];
}

/**
 * Every stored credential, and a "not set" entry for each provider's default credential (named after the
 * provider) that is not stored: the defaults first, in provider order, then the others by name.
 */
export async function listProjectCredentials(db: Db, access: ProjectAccess): Promise<CredentialStatus[]> {
  const projectId = access.project.id;
  const [stored, users] = await Promise.all([
    listCredentialStatuses(db, projectId),
    credentialUsers(db, projectId),
  ]);
  const server = serverProviderEnv();
  const byName = new Map(stored.map((s) => [s.name, s]));
  const status = (name: string, provider: CredentialProvider): CredentialStatus => {
    const row = byName.get(name);
    return {
      name,
      provider,
      set: row !== undefined,
      endpoint: row?.endpoint ?? null,
      fingerprint: row?.fingerprint ?? null,
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
      environment: name === provider && environmentConfigures(provider, server),
      usedBy: users.get(name) ?? [],
    };
  };
  const defaults = CREDENTIAL_PROVIDERS.map((provider) => status(provider, provider));
  const named = stored
    .filter((s) => !isCredentialProvider(s.name) && isCredentialProvider(s.provider))
    .map((s) => status(s.name, s.provider as CredentialProvider));
  return [...defaults, ...named];
}

/** One credential's status; a name that is neither stored nor a provider's default is a 404. */
export async function getProjectCredential(
  db: Db,
  access: ProjectAccess,
  name: string,
): Promise<CredentialStatus> {
  const found = (await listProjectCredentials(db, access)).find((s) => s.name === name);
  if (!found) throw new NotFoundError(`no credential named "${name}" in this project`);
  return found;
}

/** The provider a credential named `name` is for: the body's, or the name's when it names a provider. */
function providerOf(name: string, body: Record<string, unknown>): CredentialProvider {
  const asked =
    body.provider === undefined
      ? undefined
      : parseInput("body", credentialProviderSchema, body.provider, "provider");
  if (isCredentialProvider(name)) {
    if (asked !== undefined && asked !== name) {
      throw new InputError(
        `Invalid body.provider: "${name}" is the default ${name} credential; name another credential`,
        {
          issues: [
            { in: "body", path: "provider", message: `the credential named "${name}" is for ${name}` },
          ],
        },
      );
    }
    return name;
  }
  if (asked === undefined) {
    throw new InputError("Invalid body.provider: choose the provider of this credential", {
      issues: [
        { in: "body", path: "provider", message: `expected one of ${CREDENTIAL_PROVIDERS.join(", ")}` },
      ],
    });
  }
  return asked;
}

/** Checks (400 naming the field), encrypts and stores credential `name`; answers the status only. */
export async function setProjectCredential(
  db: Db,
  access: ProjectAccess,
  name: string,
  body: unknown,
  actor: AuditActor,
): Promise<CredentialStatus> {
  const checkedName = parseInput("params", configNameSchema, name, "credential");
  const fields =
    body && typeof body === "object" && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
  const provider = providerOf(checkedName, fields);
  delete fields.provider;
  const credential = parseInput("body", credentialInputSchemas[provider], fields) as CredentialInput;
  const plaintext = credentialPlaintext(credential);
  const key = await credentialEncryptionKey(db);
  const projectId = access.project.id;
  await storeProviderCredential(
    db,
    {
      projectId,
      organizationId: access.project.organization.id,
      name: checkedName,
      provider,
      endpoint: PROVIDER_ENV[provider].endpoint(credential),
      ciphertext: encryptCredential(
        key,
        plaintext,
        credentialAssociatedData(projectId, checkedName, provider),
      ),
      fingerprint: credentialFingerprint(plaintext),
    },
    actor,
  );
  return getProjectCredential(db, access, checkedName);
}

export function removeProjectCredential(
  db: Db,
  access: ProjectAccess,
  name: string,
  actor: AuditActor,
): Promise<void> {
  return removeProviderCredential(
    db,
    { projectId: access.project.id, organizationId: access.project.organization.id, name },
    actor,
  );
}
