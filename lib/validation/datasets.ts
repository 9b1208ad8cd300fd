// Datasets in the API: uploads (the file is the raw request body; name, format, column mapping and
// split configuration travel in the query string), versions, pages of examples, downloads and edits.
import * as z from "zod";
import { idSchema, pageSchema, timestampSchema } from "./common";
import { projectParamsSchema } from "./projects";

export const DATASET_FORMATS = ["csv", "jsonl", "json"] as const;
export const datasetFormatSchema = z.enum(DATASET_FORMATS);
export type DatasetFormatName = z.infer<typeof datasetFormatSchema>;

export const datasetNameSchema = z
  .string()
  .trim()
  .min(1, "enter a name")
  .max(100, "use at most 100 characters")
  // The control characters (Unicode category Cc) spelled as ranges, not \p{Cc}: the pattern is
  // published in the OpenAPI document, and JSON Schema validators without the u flag misread \p{…}.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: excluding control characters is the point.
  .regex(/^[^/\\?#%\u0000-\u001f\u007f-\u009f]+$/, "use no slashes, ?, #, % or control characters")
  .meta({ description: "Unique in the project, e.g. `support-tickets`.", example: "support-tickets" });

export const datasetParamsSchema = projectParamsSchema.extend({
  dataset: z.string().min(1).max(200).meta({ description: "Dataset id or name." }),
});

export const datasetVersionParamsSchema = datasetParamsSchema.extend({
  version: z.coerce
    .number()
    .int()
    .positive("a version number: 1, 2, …")
    .meta({ description: "Version number (1, 2, …)." }),
});

const fraction = z.number().gt(0, "must be more than 0").lt(1, "must be less than 1");
const seed = z.number().int().min(0).max(2_147_483_647);
const SPLIT_RULE = "validation + test must leave at least 10% for training";

export const datasetSplitsInputSchema = z
  .object({ validation: fraction, test: fraction, seed })
  .refine((s) => s.validation + s.test < 0.9, { message: SPLIT_RULE, path: ["test"] })
  .meta({ description: "Fractions of the rows held out for validation and test, and the shuffle seed." });

const columnName = z.string().max(200, "use at most 200 characters");
/** `inputs=a&inputs=b`, or one value (commas are part of a column name). */
const columnList = z
  .union([columnName, z.array(columnName).max(500)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

const uploadQueryFields = {
  filename: z
    .string()
    .max(255)
    .optional()
    .meta({ description: "The file's name: stored as the source and, by its extension, gives the format." }),
  format: datasetFormatSchema
    .optional()
    .meta({ description: "csv, jsonl or json; default: from `filename`, else from Content-Type." }),
  expected: columnName.min(1, "name the expected output column").optional().meta({
    description: "Column (CSV) or key (JSON) holding the expected output.",
  }),
  inputs: columnList.optional().meta({
    description:
      "Columns used as input variables (repeat the parameter); default: every column but `expected` and `id`. Other columns are kept with the row.",
  }),
  id: columnName
    .min(1)
    .optional()
    .meta({ description: "Column of unique example ids; default: row numbers." }),
  validation: z.coerce
    .number()
    .pipe(fraction)
    .optional()
    .meta({ description: "Validation fraction (default 0.25)." }),
  test: z.coerce.number().pipe(fraction).optional().meta({ description: "Test fraction (default 0.25)." }),
  seed: z.coerce.number().pipe(seed).optional().meta({ description: "Split seed (default 42)." }),
};

const splitsRefinement = (q: { validation?: number; test?: number }) =>
  (q.validation ?? 0.25) + (q.test ?? 0.25) < 0.9;

/** Upload of a new dataset. */
export const createDatasetQuerySchema = z
  .object({
    name: datasetNameSchema,
    ...uploadQueryFields,
    expected: uploadQueryFields.expected.unwrap().meta({
      description: "Column (CSV) or key (JSON) holding the expected output.",
    }),
  })
  .refine(splitsRefinement, { message: SPLIT_RULE, path: ["test"] });

/** Upload of a new version: mapping and splits default to the latest version's. */
export const uploadVersionQuerySchema = z
  .object(uploadQueryFields)
  .refine(splitsRefinement, { message: SPLIT_RULE, path: ["test"] });

export type UploadQuery = z.infer<typeof uploadVersionQuerySchema> & { name?: string };

export const UPLOAD_MEDIA_TYPES = [
  "text/csv",
  "application/x-ndjson",
  "application/jsonl",
  "application/json",
  "application/octet-stream",
];

export const UPLOAD_DESCRIPTION =
  "The file itself as the raw request body (not multipart), streamed: CSV with a header row, JSONL (one " +
  "object per line) or JSON (an array of objects), UTF-8. At most STROP_MAX_UPLOAD_BYTES (default 50 MB), " +
  "else 413 and nothing is stored. A file with problems stores nothing and answers 400 with " +
  "`details.problems: [{ row, line, message }]` (up to 100, `details.problemCount` counts all); a " +
  "malformed file answers 400 naming the line.";

const variablesSchema = z.record(z.string(), z.string());

export const datasetSplitsSchema = z
  .object({
    validation: z.number(),
    test: z.number(),
    seed: z.number().int(),
    counts: z
      .object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() })
      .nullable()
      .meta({ description: "Rows per split; null when the rows cannot be split (fewer than 3)." }),
  })
  .meta({ id: "DatasetSplits" });

export const datasetVersionSchema = z
  .object({
    id: idSchema.meta({ description: "Pass as `datasetVersionId` to start a run on this version." }),
    datasetId: idSchema,
    version: z.number().int(),
    sourceName: z.string(),
    rowCount: z.number().int(),
    columns: z.array(z.string()).meta({ description: "Columns in file order (downloads use them)." }),
    expectedColumn: z.string(),
    inputColumns: z.array(z.string()),
    idColumn: z.string().nullable(),
    splits: datasetSplitsSchema,
    parentVersion: z.number().int().nullable().meta({ description: "The version this one was edited from." }),
    note: z.string(),
    contentHash: z.string(),
    runCount: z.number().int().meta({ description: "Runs that used this version." }),
    createdAt: timestampSchema,
  })
  .meta({ id: "DatasetVersion" });

export const datasetSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    versionCount: z.number().int(),
    latestVersion: datasetVersionSchema.nullable(),
  })
  .meta({ id: "Dataset" });

export const datasetListSchema = z.object({ items: z.array(datasetSchema) });

export const datasetDetailSchema = datasetSchema
  .extend({ versions: z.array(datasetVersionSchema).meta({ description: "Newest first." }) })
  .meta({ id: "DatasetWithVersions" });

export const uploadResultSchema = z
  .object({
    dataset: datasetSchema,
    version: datasetVersionSchema,
    created: z.boolean().meta({
      description:
        "false when the same content (rows, mapping, splits) was already a version: that one is returned.",
    }),
  })
  .meta({ id: "DatasetUpload" });

export const exampleSchema = z
  .object({
    id: z.string().meta({ description: "The id column's value, or the row number." }),
    rowNumber: z.number().int(),
    input: variablesSchema,
    expected: z.string(),
    extra: variablesSchema.nullable().meta({ description: "The row's other columns." }),
  })
  .meta({ id: "DatasetExample" });

export const examplePageSchema = pageSchema(exampleSchema);

export const examplesQuerySchema = z.object({
  cursor: z.string().max(200).optional().meta({ description: "`nextCursor` of the previous page." }),
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: "Rows per page (1–500)." }),
});

export const downloadQuerySchema = z.object({
  format: z.enum(["csv", "jsonl"]).default("csv").meta({ description: "csv (default) or jsonl." }),
});

const nonEmpty = z.string().refine((s) => s.trim() !== "", "must not be empty");

export const MAX_EDITED_ROWS = 10_000;

export const editExamplesBodySchema = z
  .object({
    baseVersion: z
      .number()
      .int()
      .positive()
      .meta({ description: "The latest version, which the edit starts from (else 409: reload and retry)." }),
    upsert: z
      .array(
        z.object({
          id: z.string().min(1).max(200),
          input: variablesSchema.optional().meta({ description: "Replaces the row's input variables." }),
          expected: nonEmpty.optional(),
        }),
      )
      .max(MAX_EDITED_ROWS)
      .default([])
      .meta({ description: "Rows to change (by id) or to append (new ids need input and expected)." }),
    delete: z.array(z.string().min(1).max(200)).max(MAX_EDITED_ROWS).default([]).meta({
      description: "Ids of rows to leave out of the new version.",
    }),
    splits: datasetSplitsInputSchema.optional(),
    note: z.string().trim().max(200).optional(),
  })
  .refine((b) => b.upsert.length + b.delete.length > 0 || b.splits !== undefined, {
    message: "change, add or delete a row, or set the splits",
    path: ["upsert"],
  });

export type EditExamplesBody = z.infer<typeof editExamplesBodySchema>;

export const editResultSchema = z.object({ version: datasetVersionSchema });
