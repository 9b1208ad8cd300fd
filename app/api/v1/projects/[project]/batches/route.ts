import { InputError } from "@/lib/core/errors";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "@/lib/http/body";
import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { createBatch, listBatches } from "@/lib/services/batches";
import {
  batchCreatedSchema,
  batchListQuerySchema,
  batchPageSchema,
  batchSpecFromQuery,
  batchSpecSchema,
  batchUploadQuerySchema,
} from "@/lib/validation/batches";
import { parseInput } from "@/lib/validation/parse";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/batches",
  summary: "List the project's batches, newest first",
  description:
    "Each batch with its status and row counters. Filter by `status`; page with `cursor`. Start a " +
    "batch with POST on this path.",
  tags: ["batches"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  query: batchListQuerySchema,
  response: batchPageSchema,
  handler: async ({ db, access, query }) => {
    const page = await listBatches(db, access, {
      status: query.status,
      cursor: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPageResponse(page, (batch) => batch);
  },
});

const BATCH_UPLOAD_TYPES = [
  "text/csv",
  "application/x-ndjson",
  "application/jsonl",
  "application/octet-stream",
];

const CREATE_DESCRIPTION =
  "Two forms. (1) Rows of a dataset version: a JSON body `{ task, promptVersion?, datasetVersionId, " +
  'model, chunkSize?, onMalformedRow?, cache? }` (`model`: a model configuration\'s name, "provider:model" ' +
  "or an inline configuration). (2) Rows of a file: the CSV (header row) or JSONL file itself as the raw " +
  "request body (not multipart, streamed), with the spec in the query string (`task`, `model`, " +
  "`promptVersion`, `chunkSize`, `onMalformedRow`, `cache`, `filename`, `format`). A row that does not " +
  "parse or lacks a variable of the prompt: with `onMalformedRow=stop` (default) a 400 naming the row and " +
  "nothing is stored; with `skip` the row is left out and reported in `issues` and `skippedRows`. Any " +
  "invalid field is a 400 naming it, and nothing is stored. The batch is queued (202) and runs in chunks " +
  "of `chunkSize` rows; follow it with GET …/batches/{batch}/events.";

const isJson = (type: string | null) => !type || /^application\/([\w.+-]+\+)?json\b/i.test(type);

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/batches",
  summary: "Start a batch: one prompt version over a dataset version or an uploaded file",
  description: CREATE_DESCRIPTION,
  tags: ["batches"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  // Parsed in the handler: required for uploads, absent for the JSON form.
  query: batchUploadQuerySchema.partial(),
  rawBody: {
    contentTypes: ["application/json", ...BATCH_UPLOAD_TYPES],
    description:
      "application/json: the batch spec (rows of a dataset version). text/csv or application/x-ndjson: " +
      "the rows themselves, with the spec in the query string.",
    schema: batchSpecSchema,
  },
  response: batchCreatedSchema,
  status: 202,
  handler: async ({ db, access, request, actor }) => {
    const url = new URL(request.url);
    const contentType = request.headers.get("content-type");
    const specInQuery = url.searchParams.has("task") || url.searchParams.has("model");
    if (isJson(contentType) && !(specInQuery && !contentType)) {
      if ([...url.searchParams.keys()].length > 0) {
        throw new InputError(
          "Send the batch spec either as a JSON body (rows of a dataset version) or in the query string with a file as the body, not both",
          {
            issues: [
              {
                in: "query",
                path: [...url.searchParams.keys()][0]!,
                message: "not allowed with a JSON body",
              },
            ],
          },
        );
      }
      const body = parseInput("body", batchSpecSchema, await readJsonBody(request, DEFAULT_MAX_BODY_BYTES));
      return createBatch(db, access, body, undefined, actor);
    }
    const query = parseInput("query", batchUploadQuerySchema, Object.fromEntries(url.searchParams));
    return createBatch(
      db,
      access,
      batchSpecFromQuery(query),
      {
        body: request.body,
        contentType,
        contentLength: request.headers.get("content-length"),
        ...(query.filename !== undefined ? { filename: query.filename } : {}),
        ...(query.format !== undefined ? { format: query.format } : {}),
      },
      actor,
    );
  },
});
