// Browser-side calls to the API (same origin, session cookie): JSON in, JSON out, errors as ApiError with
// the envelope's code, message and per-field messages for forms.

export interface FieldIssue {
  in: string;
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Messages by body field path ("email", "members.0.role"), for errors tied to form fields. */
  get fieldErrors(): Record<string, string> {
    const issues = (this.details as { issues?: FieldIssue[] } | undefined)?.issues ?? [];
    const out: Record<string, string> = {};
    for (const issue of issues)
      if (issue.in === "body" && issue.path && !out[issue.path]) out[issue.path] = issue.message;
    return out;
  }
}

export async function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers:
      body === undefined
        ? { accept: "application/json" }
        : { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http_error",
      error?.message ?? `The server answered ${response.status}.`,
      error?.details,
    );
  }
  return data as T;
}

/** A message for any error thrown by apiRequest (or the network). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Could not reach the server. Check your connection and try again.";
}
