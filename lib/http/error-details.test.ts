// One error `details` shape (lib/validation/common.ts): the edge sends every error's details in it, and
// the browser reads them with one parser.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConflictError, InputError, PayloadTooLargeError } from "@/lib/core/errors";
import { fieldError } from "@/lib/validation/parse";
import { ApiError, apiErrorFrom } from "./client";
import { errorResponse } from "./errors";

afterEach(() => vi.restoreAllMocks());

async function envelope(error: unknown) {
  const response = errorResponse(error, "req-1");
  return { status: response.status, body: await response.json() };
}

describe("the edge", () => {
  it("sends `issues` with every error, and the fields its code adds", async () => {
    expect((await envelope(new ConflictError("taken"))).body).toEqual({
      error: { code: "conflict", message: "taken", details: { issues: [] } },
    });
    expect((await envelope(new PayloadTooLargeError(10))).body.error.details).toEqual({
      issues: [],
      limitBytes: 10,
    });
    const bad = fieldError("query", "cursor", "not a cursor", { row: 3, line: 4 });
    expect((await envelope(bad)).body.error).toEqual({
      code: "invalid_input",
      message: "Invalid query.cursor: not a cursor",
      details: { issues: [{ in: "query", path: "cursor", message: "not a cursor" }], row: 3, line: 4 },
    });
  });

  it("drops fields the shape does not declare, and details that do not fit it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await envelope(new InputError("x", { field: "a", issues: [] }))).body.error.details).toEqual({
      issues: [],
    });
    expect((await envelope(new InputError("x", { issues: "all" }))).body.error.details).toEqual({
      issues: [],
    });
    expect(log).toHaveBeenCalledOnce();
  });
});

describe("the browser's parser", () => {
  it("reads the envelope into an ApiError with typed details", async () => {
    const { status, body } = await envelope(
      new InputError("Invalid body.email: bad", {
        issues: [
          { in: "body", path: "email", message: "bad" },
          { in: "body", path: "members.0.role", message: "unknown role" },
          { in: "query", path: "format.kind", message: "csv or jsonl" },
        ],
        problems: [{ row: 2, line: 3, message: "no text" }],
        problemCount: 7,
      }),
    );
    const error = apiErrorFrom(status, body);
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message]).toEqual([
      400,
      "invalid_input",
      "Invalid body.email: bad",
    ]);
    expect(error.fieldErrors).toEqual({ email: "bad", "members.0.role": "unknown role" });
    expect(error.fieldErrorsIn("body", 1)).toEqual({ email: "bad", members: "unknown role" });
    expect(error.fieldErrorsIn("query", 1)).toEqual({ format: "csv or jsonl" });
    expect(error.details.problems).toEqual([{ row: 2, line: 3, message: "no text" }]);
    expect(error.details.problemCount).toBe(7);
  });

  it("falls back to a generic error for an answer that is not an envelope", () => {
    for (const body of [null, "oops", { error: "no" }, { error: { code: 5, details: { issues: "x" } } }]) {
      const error = apiErrorFrom(502, body);
      expect([error.code, error.message, error.details]).toEqual([
        "http_error",
        "The server answered 502.",
        { issues: [] },
      ]);
    }
  });
});
