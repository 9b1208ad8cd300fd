// What the upload form checks before sending a byte: a file type the server reads, and a size under the
// server's limit (given by the page), so that a wrong or oversize file is refused at once, not after
// minutes of uploading. The server checks both again.
import { formatBytes } from "@/lib/http/error-wording";
import { type FileFormat, formatOfName } from "./file-columns";

export const SUPPORTED_FILES = "CSV (.csv), JSONL (.jsonl or .ndjson) or JSON (.json)";

export type FileCheck = { ok: true; format: FileFormat } | { ok: false; problem: string };

/** The chosen file's format, or the reason it cannot be uploaded, in words for the form. */
export function checkUploadFile(file: { name: string; size: number }, maxBytes: number): FileCheck {
  const format = formatOfName(file.name);
  if (!format) {
    const ext = /\.([^./]+)$/.exec(file.name)?.[1];
    const kind = ext ? `a .${ext.toLowerCase()} file` : "a file without an extension";
    return { ok: false, problem: `“${file.name}” is ${kind}. Choose a ${SUPPORTED_FILES} file.` };
  }
  if (file.size === 0) return { ok: false, problem: `“${file.name}” is empty. Choose a file with rows.` };
  if (file.size > maxBytes) {
    return {
      ok: false,
      problem: `“${file.name}” is ${formatBytes(file.size)}: larger than the ${formatBytes(maxBytes)} limit. Choose a smaller file, or split it.`,
    };
  }
  return { ok: true, format };
}
