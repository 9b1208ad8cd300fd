// `strop export <task>`: a stored prompt version as a task file (YAML) that `strop optimize` runs — the
// version by number, by label, or the newest; through the same service as GET …/versions/{n}/task-file.
import { writeFile } from "node:fs/promises";
import { InputError } from "@/lib/core/errors";
import { getDb } from "@/lib/services/database";
import { operatorAccess } from "@/lib/services/operator";
import { exportTaskFile } from "@/lib/services/prompts";
import { intFlag, type ParsedArgs, projectFlag } from "../args";

export const EXPORT_USAGE = `strop export <task> [--version N | --label L] [--dataset path] [--out file.yaml] [--project slug]

Writes a stored prompt version as a task file for \`strop optimize\`: the version's prompt with the
settings of the newest run that used it (else its serving model, exact_match and dataset.csv).
--dataset sets the dataset path written into the file; without --out the file goes to stdout.`;

function textFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  if (value === true) throw new InputError(`--${name} needs a value`);
  return value;
}

export async function exportCommand(args: ParsedArgs): Promise<number> {
  const [task] = args.positionals;
  if (!task) throw new InputError(`name a task\n\n${EXPORT_USAGE}`);
  const version = intFlag(args, "version");
  const label = textFlag(args, "label");
  if (version !== undefined && label !== undefined)
    throw new InputError("give --version or --label, not both");
  const db = await getDb();
  const access = await operatorAccess(db, projectFlag(args));
  const file = await exportTaskFile(
    db,
    access,
    task,
    { version, label },
    { dataset: textFlag(args, "dataset") },
  );
  const out = textFlag(args, "out");
  if (out === undefined) {
    process.stdout.write(file.yaml);
    return 0;
  }
  await writeFile(out, file.yaml);
  console.error(`wrote ${out}: task "${task}", version ${file.version}`);
  return 0;
}
