// Batches (issue 5, item 2): run one prompt version of a task over rows — a dataset version, or an
// uploaded CSV/JSONL file streamed in — with one task model, one output per row. What the API, the page
// and the CLI call: create (spec.ts checks, rows-in.ts streams the rows, create.ts stores and queues),
// list, read, cancel and page the rows (reads.ts), download the results (results.ts). Execution (chunks
// as durable steps, resume, cancel): ../batch-execution.ts; in this process, under the batch's lease:
// execute-here.ts.
export type {
  BatchDetail,
  BatchIssue,
  BatchProgress,
  BatchRow,
  BatchRowFilter,
  BatchRowPage,
  BatchRowStatus,
  BatchSpecInput,
  BatchSummary,
  CreatedBatch,
} from "@/lib/validation/batches";
export {
  type BatchDispatch,
  type BatchRowsSource,
  type BatchServiceOptions,
  type BatchUpload,
  createBatch,
  createProjectBatch,
  type StoreBatchOptions,
} from "./create";
export { executeBatchHere } from "./execute-here";
export {
  batchProgress,
  batchSummary,
  cancelBatch,
  getBatch,
  listBatches,
  pageBatchRows,
  requireBatch,
} from "./reads";
export { batchResultText, downloadBatchResults } from "./results";
