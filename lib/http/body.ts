// Request bodies: JSON only, read with a size limit (413 past it, even without Content-Length).
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from "@/lib/core/errors";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The parsed JSON body, or undefined when the request has none. */
export async function readJsonBody(request: Request, limit = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const text = await readLimited(request, limit);
  if (text.trim() === "") return undefined;
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`Invalid body: not valid JSON (${(error as Error).message})`, {
      issues: [{ in: "body", path: "", message: "not valid JSON" }],
    });
  }
}
