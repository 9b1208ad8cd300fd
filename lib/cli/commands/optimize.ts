import { InputError } from "@/lib/core/errors";
import type { Progress } from "@/lib/core/ports";
import { getDb } from "@/lib/services/database";
import { evaluateTaskFile, optimizeTaskFile } from "@/lib/services/runs/task-files";
import { intFlag, type ParsedArgs, projectFlag } from "../args";
import { evaluationSummary, optimizationSummary, progressLines } from "../report";

const FINAL_TEST = /^final test: /;

/** A live progress line on stderr: rewritten in place on a terminal, a line per step otherwise. */
function progressPrinter(args: ParsedArgs) {
  if (args.flags.quiet) return { sink: undefined, done: () => {} };
  const tty = process.stderr.isTTY;
  if (args.flags.json && !tty) return { sink: undefined, done: () => {} };
  let lastStep = "";
  let lastWrite = 0;
  const progressLine = progressLines();
  return {
    sink: (p: Progress) => {
      const key = `${p.iteration}/${p.step}`;
      // Every snapshot goes through progressLine (it counts the final test's finished chunks).
      const line = progressLine(p);
      if (tty) {
        if (Date.now() - lastWrite < 80 && p.done !== p.total) return;
        lastWrite = Date.now();
        process.stderr.write(`\r\x1b[2K${line}`);
      } else if ((key !== lastStep || FINAL_TEST.test(p.step)) && p.done === p.total) {
        lastStep = key;
        process.stderr.write(`${line}\n`);
      }
    },
    done: () => {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}

function taskFileArg(args: ParsedArgs): string {
  const [file, extra] = args.positionals;
  if (!file) throw new InputError("name a task file, e.g. `strop optimize examples/sentiment/task.yaml`");
  if (extra) throw new InputError(`unexpected argument "${extra}"`);
  return file;
}

export async function optimizeCommand(args: ParsedArgs): Promise<number> {
  const file = taskFileArg(args);
  const printer = progressPrinter(args);
  const outcome = await optimizeTaskFile(file, {
    db: await getDb(),
    progress: printer.sink,
    project: projectFlag(args),
  }).finally(printer.done);
  if (args.flags.json) console.log(JSON.stringify(outcome, null, 2));
  else console.log(optimizationSummary(outcome.report, outcome.runId, outcome.savedVersion));
  return 0;
}

export async function evalCommand(args: ParsedArgs): Promise<number> {
  const file = taskFileArg(args);
  const printer = progressPrinter(args);
  const version = intFlag(args, "version");
  const outcome = await evaluateTaskFile(file, {
    db: await getDb(),
    progress: printer.sink,
    version,
    project: projectFlag(args),
  }).finally(printer.done);
  if (args.flags.json) console.log(JSON.stringify(outcome, null, 2));
  else console.log(evaluationSummary(outcome.report, outcome.runId, `prompt version ${outcome.version}`));
  return 0;
}
