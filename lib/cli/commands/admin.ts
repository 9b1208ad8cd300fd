import { InputError } from "@/lib/core/errors";
import { createUserFromCli, readPasswordFromStdin } from "@/lib/services/accounts";
import { rotateCredentialEncryptionKey } from "@/lib/services/credentials/rotation";
import { getDb } from "@/lib/services/database";
import type { ParsedArgs } from "../args";

/**
 * `strop admin create-user --email … --password-stdin [--name …] [--org …]`
 * `strop admin rotate-encryption-key [--drop-database-key]`
 */
export async function adminCommand(args: ParsedArgs): Promise<number> {
  const [action] = args.positionals;
  if (action === "create-user") return createUser(args);
  if (action === "rotate-encryption-key") return rotateKey(args);
  throw new InputError(`unknown admin action "${action ?? ""}" (use create-user or rotate-encryption-key)`);
}

async function createUser(args: ParsedArgs): Promise<number> {
  const { email, name, org } = args.flags;
  if (typeof email !== "string") throw new InputError("--email is required");
  // A password on the command line would land in shell history and `ps`: read it from stdin only.
  if (args.flags["password-stdin"] !== true)
    throw new InputError("pass the password on standard input with --password-stdin");
  const account = await createUserFromCli(await getDb(), {
    email,
    password: await readPasswordFromStdin(),
    name: typeof name === "string" ? name : undefined,
    org: typeof org === "string" ? org : undefined,
  });
  console.log(JSON.stringify(account, null, 2));
  return 0;
}

/** Re-encrypts every stored credential under the current key; exit 1 when some cannot be read. */
async function rotateKey(args: ParsedArgs): Promise<number> {
  const result = await rotateCredentialEncryptionKey(await getDb(), {
    dropDatabaseKey: args.flags["drop-database-key"] === true,
    actor: { type: "system", id: null, label: "cli" },
  });
  if (args.flags.json === true) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(
      `credentials under key ${result.keyId} (${result.keySource}): ${result.reencrypted} re-encrypted, ` +
        `${result.alreadyCurrent} already current, ${result.unreadable.length} unreadable`,
    );
    for (const u of result.unreadable)
      console.log(`  unreadable: project ${u.projectId}, credential "${u.name}": ${u.reason}`);
    if (result.databaseKeyRemoved) console.log("the database's copy of the key was removed");
  }
  return result.unreadable.length > 0 ? 1 : 0;
}
