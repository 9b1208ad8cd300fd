// One error hierarchy for everything a user can get wrong or that can fail on the way. The CLI prints
// `message`; the HTTP layer maps `status` and `details`.

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Bad input: the message names the file, field or row; nothing has been written. */
export class InputError extends AppError {
  constructor(message: string, details?: unknown) {
    super("invalid_input", message, 400, details);
    this.name = "InputError";
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message, 404);
    this.name = "NotFoundError";
  }
}

/** No valid credentials (session or API key) came with the request. */
export class UnauthorizedError extends AppError {
  constructor(message = "Sign in or send an API key as `Authorization: Bearer …`.") {
    super("unauthenticated", message, 401);
    this.name = "UnauthorizedError";
  }
}

/** Authenticated, but the role (or kind of credential) does not allow this. */
export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown) {
    super("forbidden", message, 403, details);
    this.name = "ForbiddenError";
  }
}

/** A job was stored but its runner (Inngest) could not take it: 503, naming the job so it can be resumed. */
export class RunnerUnavailableError extends AppError {
  constructor(message: string, details: Record<string, string>) {
    super("runner_unavailable", message, 503, details);
    this.name = "RunnerUnavailableError";
  }
}

/** The request contradicts the current state: a taken name, the last owner, a setup already done. */
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super("conflict", message, 409, details);
    this.name = "ConflictError";
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super("payload_too_large", `The request body is larger than ${limitBytes} bytes.`, 413, { limitBytes });
    this.name = "PayloadTooLargeError";
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = "Send the request body as JSON (Content-Type: application/json).") {
    super("unsupported_media_type", message, 415);
    this.name = "UnsupportedMediaTypeError";
  }
}

/** Too many requests: retry after `retryAfterSeconds`. */
export class RateLimitError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = "Too many requests; try again later.",
  ) {
    super("rate_limited", message, 429, { retryAfterSeconds });
    this.name = "RateLimitError";
  }
}
