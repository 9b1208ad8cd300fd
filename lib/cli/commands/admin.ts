import { InputError } from "@/lib/core/errors";
import { getDb } from "@/lib/db";
import { createUserFromCli, readPasswordFromStdin } from "@/lib/services/accounts";
import type { ParsedArgs } from "../args";

/** `strop admin create-user --email … --password-stdin [--name …] [--org …]` */
export async function adminCommand(args: ParsedArgs): Promise<number> {
  const [action] = args.positionals;
  if (action !== "create-user")
    throw new InputError(`unknown admin action "${action ?? ""}" (use create-user)`);
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
