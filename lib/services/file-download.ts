// A streamed CSV or JSONL download: text chunks from an async generator (a page of rows at a time) as
// the body of a Response, pulled only as fast as the client reads.

export type FileFormat = "csv" | "jsonl";

export interface FileDownload {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

/** A name safe in a Content-Disposition header: letters, digits, ".", "_", "-" (or `fallback`). */
export function safeFileName(name: string, fallback: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "") || fallback;
}

export function fileDownload(
  chunks: AsyncGenerator<string>,
  format: FileFormat,
  filename: string,
): FileDownload {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return {
    filename,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    body,
  };
}
