// `strop batch`: run a prompt over every row of a CSV/JSONL file, in this process, with a live progress
// line; the results stream from the database into --out (JSONL or CSV). The batch is stored like one
// made in the app (lib/services/batches/): chunks of rows, each row done once, so an interrupted batch
// continues with `strop batch --resume <id>` and never pays for a finished row twice.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { actorOf, type ProjectAccess } from "@/lib/auth/principal";
import { AppError, InputError } from "@/lib/core/errors";
import type { BatchOutcome, BatchProgressUpdate } from "@/lib/services/batch-execution";
import { batchResultText, createProjectBatch, executeBatchHere, getBatch } from "@/lib/services/batches";
import { type Db, getDb } from "@/lib/services/database";
import { datasetFormatOf } from "@/lib/services/dataset-file";
import { reopenStoppedBatch } from "@/lib/services/job-resume";
import { operatorAccess, operatorAccessToBatch } from "@/lib/services/operator";
import { loadTaskFile } from "@/lib/services/task-file";
import { storeTaskFilePrompt } from "@/lib/services/task-file-prompt";
import type { OperatorBatchSpecInput } from "@/lib/validation/batches";
import { intFlag, type ParsedArgs, projectFlag } from "../args";
import { duration } from "../format";

export const BATCH_USAGE = `strop batch <task-file | task-name> --input <file.csv|file.jsonl> [options]
  --version N                 a stored prompt version of the task (default: the task file's prompt, or
                              the task's latest version)
  --model <name|provider:model>  a model configuration or id (default: the task file's task model;
                              required with a task name)
  --chunk-size N              rows per durable step (1–1000, default 100)
  --on-malformed skip|stop    a row that does not parse or lacks a template variable: stop (default:
                              nothing is stored) or skip (left out and reported)
  --out <results.jsonl|results.csv>  write every row's output there (streamed)
  --project <slug>            the project (default: "default")
  --json                      print the outcome as JSON
strop batch --resume <batch-id> [--out …] [--json]   continue an interrupted, failed or cancelled batch`;

type Format = "csv" | "jsonl";

/** Spec fields as the flags that set them, for messages. */
const CLI_FLAGS: Record<string, string> = {
  model: "--model",
  promptVersion: "--version",
  chunkSize: "--chunk-size",
  onMalformedRow: "--on-malformed",
};

function outFormat(file: string): Format {
  const format = datasetFormatOf(file);
  if (format === "csv" || format === "jsonl") return format;
  throw new InputError(`--out ${file}: name a .jsonl or .csv file`);
}

function inputFormat(file: string): Format {
  const format = datasetFormatOf(file);
  if (format === "csv" || format === "jsonl") return format;
  throw new InputError(
    `--input ${file}: a batch file is .csv (with a header row) or .jsonl (one object per line)`,
  );
}

function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  if (value === true) throw new InputError(`--${name} needs a value`);
  return value;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The spec of a new batch: a task file (its task and prompt stored in the project) or a task name. */
async function specFor(
  db: Db,
  target: string,
  args: ParsedArgs,
  access: ProjectAccess,
): Promise<OperatorBatchSpecInput> {
  const version = intFlag(args, "version");
  const model = stringFlag(args, "model");
  const onMalformed = stringFlag(args, "on-malformed");
  if (onMalformed !== undefined && onMalformed !== "skip" && onMalformed !== "stop")
    throw new InputError(`--on-malformed must be "skip" or "stop", got "${onMalformed}"`);
  const chunkSize = args.flags["chunk-size"] === undefined ? undefined : Number(args.flags["chunk-size"]);
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 1000))
    throw new InputError(
      `--chunk-size must be a whole number of rows from 1 to 1000, got "${args.flags["chunk-size"]}"`,
    );
  const common = {
    ...(chunkSize !== undefined ? { chunkSize } : {}),
    ...(onMalformed ? { onMalformedRow: onMalformed as "skip" | "stop" } : {}),
  };
  const looksLikeFile = /\.(ya?ml|json)$/i.test(target) || (await isFile(target));
  if (!looksLikeFile) {
    if (!model) throw new InputError(`--model: name the model to run task "${target}" with`);
    return { task: target, ...(version ? { promptVersion: version } : {}), model, ...common };
  }
  const loaded = await loadTaskFile(target, { db, project: access.project.slug });
  // The file's prompt becomes a stored version (the same content is the same version), unless --version.
  const promptVersion = version ?? (await storeTaskFilePrompt(db, access, loaded.task));
  return {
    task: loaded.task.name,
    promptVersion,
    model: model ?? loaded.task.models.task,
    cache: loaded.task.cache,
    ...common,
  };
}

/** The progress line on stderr: rewritten in place on a terminal, a line per 10% otherwise. */
function progressPrinter(args: ParsedArgs) {
  const tty = process.stderr.isTTY;
  if (args.flags.quiet || (args.flags.json && !tty)) return { sink: undefined, done: () => {} };
  let lastWrite = 0;
  let lastDecile = -1;
  const line = (p: BatchProgressUpdate) => {
    const rate = p.elapsedMs > 0 ? p.doneHere / (p.elapsedMs / 1000) : 0;
    const left = p.totalRows - p.doneRows;
    const eta = rate > 0 && left > 0 ? ` · ETA ${duration(Math.round((left / rate) * 1000))}` : "";
    return (
      `batch ${p.batchId} · ${p.doneRows.toLocaleString("en-US")}/${p.totalRows.toLocaleString("en-US")} rows` +
      ` · ${p.failedRows} failed · ${p.cacheHits} cached · ${rate.toFixed(1)} rows/s · ${duration(p.elapsedMs)}${eta}`
    );
  };
  return {
    sink: (p: BatchProgressUpdate) => {
      if (tty) {
        if (Date.now() - lastWrite < 100 && p.doneRows !== p.totalRows) return;
        lastWrite = Date.now();
        process.stderr.write(`\r\x1b[2K${line(p)}`);
        return;
      }
      const decile = p.totalRows > 0 ? Math.floor((p.doneRows / p.totalRows) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${line(p)}\n`);
      }
    },
    done: () => {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}

/** Streams the batch's results from the database into `file` (never all in memory). */
async function writeResults(db: Db, access: ProjectAccess, batchId: string, file: string): Promise<number> {
  const batch = await getBatch(db, access, batchId);
  const out = createWriteStream(file);
  let bytes = 0;
  try {
    for await (const text of batchResultText(db, batch, outFormat(file))) {
      bytes += Buffer.byteLength(text);
      if (!out.write(text)) await once(out, "drain");
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return bytes;
}

async function execute(db: Db, batchId: string, args: ParsedArgs): Promise<BatchOutcome> {
  const printer = progressPrinter(args);
  // Ctrl-C: the rows finished so far are written, the batch stays resumable.
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupt);
  try {
    return await executeBatchHere(db, batchId, controller.signal, { progress: printer.sink });
  } finally {
    process.off("SIGINT", interrupt);
    printer.done();
  }
}

export async function batchCommand(args: ParsedArgs): Promise<number> {
  const db = await getDb();
  const out = stringFlag(args, "out");
  if (out) outFormat(out);
  const resume = stringFlag(args, "resume");
  let batchId: string;
  let access: ProjectAccess;
  let issues: { row: number | null; message: string }[] = [];
  let skipped = 0;
  if (resume) {
    if (args.positionals.length > 0)
      throw new InputError(`unexpected argument "${args.positionals[0]}" with --resume`);
    access = await operatorAccessToBatch(db, resume);
    // A failed or cancelled batch goes back to the queue and continues here with its rows not done yet.
    const audit = { actor: actorOf(access.principal), organizationId: access.project.organization.id };
    if (await reopenStoppedBatch(db, resume, audit)) process.stderr.write(`batch ${resume} resumed\n`);
    batchId = resume;
  } else {
    const [target, extra] = args.positionals;
    if (!target) throw new InputError(`name a task file or a task\n\n${BATCH_USAGE}`);
    if (extra) throw new InputError(`unexpected argument "${extra}"`);
    const input = stringFlag(args, "input");
    if (!input) throw new InputError("--input: name the CSV or JSONL file to run over");
    const format = inputFormat(input);
    if (!(await isFile(input))) throw new InputError(`--input ${input}: no such file`);
    access = await operatorAccess(db, projectFlag(args));
    const spec = await specFor(db, target, args, access);
    const created = await createProjectBatch(
      db,
      access,
      spec,
      { kind: "file", path: path.resolve(input), format, label: input },
      {
        origin: "cli",
        // Executed right here, not by a runner.
        dispatch: async () => {},
        fieldLabel: (field) => CLI_FLAGS[field] ?? field,
      },
    );
    batchId = created.id;
    issues = created.issues;
    skipped = created.skippedRows;
    if (!args.flags.json) {
      for (const issue of issues)
        process.stderr.write(`skipped ${input} row ${issue.row}: ${issue.message}\n`);
      if (skipped > issues.length) process.stderr.write(`… ${skipped - issues.length} more rows skipped\n`);
    }
  }
  const outcome = await execute(db, batchId, args);
  const bytes = out && outcome.status !== "failed" ? await writeResults(db, access, batchId, out) : null;
  const batch = await getBatch(db, access, batchId);
  if (args.flags.json) {
    console.log(
      JSON.stringify(
        {
          batchId,
          status: outcome.status,
          totalRows: outcome.totalRows,
          doneRows: outcome.doneRows,
          failedRows: outcome.failedRows,
          skippedRows: outcome.skippedRows,
          calls: batch?.calls ?? 0,
          cacheHits: batch?.cacheHits ?? 0,
          inputTokens: batch?.inputTokens ?? 0,
          outputTokens: batch?.outputTokens ?? 0,
          costUsd: batch?.costUsd ?? 0,
          error: outcome.error,
          issues,
          out: out ?? null,
        },
        null,
        2,
      ),
    );
  } else {
    const took =
      batch?.startedAt && batch.finishedAt
        ? ` in ${duration(batch.finishedAt.getTime() - batch.startedAt.getTime())}`
        : "";
    console.log(
      `batch ${batchId} ${outcome.status}${took}: ${outcome.doneRows}/${outcome.totalRows} rows done, ` +
        `${outcome.failedRows} failed, ${outcome.skippedRows} skipped · ${batch?.calls ?? 0} calls ` +
        `(${batch?.cacheHits ?? 0} cached) · ${(batch?.inputTokens ?? 0) + (batch?.outputTokens ?? 0)} tokens · ` +
        `$${(batch?.costUsd ?? 0).toFixed(4)}`,
    );
    if (out && bytes !== null) console.log(`results written to ${out}`);
  }
  if (outcome.status === "succeeded") return 0;
  if (outcome.status === "interrupted" || outcome.status === "cancelled") {
    const hint =
      outcome.status === "interrupted" ? `; continue it with \`strop batch --resume ${batchId}\`` : "";
    throw new AppError(outcome.status, `batch ${batchId} was ${outcome.status}${hint}`, 409);
  }
  throw new AppError("batch_failed", `batch ${batchId} failed: ${outcome.error}`, 500);
}
