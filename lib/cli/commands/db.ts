import { InputError } from "@/lib/core/errors";
import { migrateDatabase } from "@/lib/services/database";
import type { ParsedArgs } from "../args";

export async function dbCommand(args: ParsedArgs): Promise<number> {
  const [action] = args.positionals;
  if (action !== "migrate") throw new InputError(`unknown db action "${action ?? ""}" (use migrate)`);
  const result = await migrateDatabase();
  console.log(JSON.stringify(result, null, 2));
  return 0;
}
