// Running the playground: the prepared columns are called at once, each streaming through its gateway
// (cache, limits, retries, egress, accounting as for serving), and their records are merged into one
// sequence in arrival order — `start`, `delta`s, then `result` or `error` per column. A failing column is
// a record, never the end of the others (errors as values).
import type { ProjectAccess } from "@/lib/auth/principal";
import { LlmError } from "@/lib/core/ports";
import type { AuditActor, Db } from "@/lib/db";
import type { Env } from "@/lib/llm/providers/index";
import type { PlaygroundRecord, PlaygroundRunBody } from "@/lib/validation/playground";
import { requireRole } from "../prompts/access";
import { type PreparedColumn, prepareColumns } from "./columns";

export interface PlaygroundOptions {
  /** The server's environment (default process.env): provider variables and REDIS_URL. */
  env?: Env;
  /** Aborts every call (the client went away). */
  signal?: AbortSignal;
}

async function runColumn(
  column: PreparedColumn,
  cache: PlaygroundRunBody["cache"],
  signal: AbortSignal | undefined,
  emit: (record: PlaygroundRecord) => void,
): Promise<void> {
  const { index } = column;
  emit({ type: "start", column: index, model: column.model, version: column.version });
  try {
    const response = await column.gateway.stream(
      { model: column.model, messages: column.messages, params: column.params, cache, signal },
      (text) => emit({ type: "delta", column: index, text }),
    );
    emit({
      type: "result",
      column: index,
      text: response.text,
      usage: response.usage,
      latencyMs: Math.round(response.latencyMs),
      costUsd: response.costUsd,
      cached: response.cached,
    });
  } catch (error) {
    if (error instanceof LlmError) {
      // The gateway's messages are parsed, truncated and free of secrets (lib/llm/errors.ts).
      emit({
        type: "error",
        column: index,
        code: "provider_error",
        message: `the model "${column.model}" failed: ${error.message}`,
      });
      return;
    }
    console.error("playground column failed:", error);
    emit({
      type: "error",
      column: index,
      code: "internal_error",
      message: "something went wrong on the server",
    });
  }
}

/**
 * Checks the caller (editor: it spends the project's credits) and the whole request, then returns the
 * records of the run as they happen. Bad input throws here, before any call.
 */
export async function runPlayground(
  db: Db,
  access: ProjectAccess,
  body: PlaygroundRunBody,
  actor: AuditActor,
  options: PlaygroundOptions = {},
): Promise<AsyncIterable<PlaygroundRecord>> {
  await requireRole(db, access, actor, "editor", {
    operation: "run the playground",
    target: body.task ?? "draft",
  });
  const columns = await prepareColumns(db, access, body, options.env);
  return merged(columns, (column, emit) => runColumn(column, body.cache, options.signal, emit));
}

/** The records every column emits, in arrival order, until all of them are done. */
async function* merged(
  columns: PreparedColumn[],
  run: (column: PreparedColumn, emit: (record: PlaygroundRecord) => void) => Promise<void>,
): AsyncGenerator<PlaygroundRecord> {
  const queue: PlaygroundRecord[] = [];
  let wake: (() => void) | undefined;
  const emit = (record: PlaygroundRecord) => {
    queue.push(record);
    wake?.();
  };
  let pending = columns.length;
  for (const column of columns)
    void run(column, emit).finally(() => {
      pending--;
      wake?.();
    });
  while (pending > 0 || queue.length > 0) {
    if (queue.length === 0)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    wake = undefined;
    yield* queue.splice(0);
  }
}
