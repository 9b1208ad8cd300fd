// What people read of an API error: the envelopes the API sends, read as the browser reads them.
import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFrom, describeError, errorMessage } from "./client";
import { formatBytes, wordApiError, wordIssueMessage, wordPath } from "./error-wording";

const envelope = (code: string, message: string, details: Record<string, unknown>) => ({
  error: { code, message, details: { issues: [], ...details } },
});

describe("wordIssueMessage", () => {
  it.each([
    ["Too small: expected number to be >0", "must be greater than 0"],
    ["Too small: expected number to be >=1", "must be at least 1"],
    ["Too big: expected number to be <=1", "must be at most 1"],
    ["Too big: expected number to be <1", "must be less than 1"],
    ["Too small: expected string to have >=1 characters", "enter a value"],
    ["Too small: expected string to have >=3 characters", "use at least 3 characters"],
    ["Too big: expected string to have <=100 characters", "use at most 100 characters"],
    ["Too small: expected array to have >=1 items", "choose at least one"],
    ["Invalid input: expected string, received undefined", "required"],
    ["Invalid input: expected number, received NaN", "enter a number"],
    ["Invalid input: expected int, received number", "enter a whole number"],
    ['Invalid option: expected one of "csv"|"jsonl"', "choose one of csv, jsonl"],
    ['Unrecognized keys: "slug", "x"', "not a known setting: slug, x"],
    ["Invalid string: must match pattern /^a$/", "not a valid value"],
    ["Invalid input", "not a valid value"],
    ["Invalid email address", "enter a valid email address"],
  ])("%s → %s", (raw, worded) => {
    expect(wordIssueMessage(raw)).toBe(worded);
  });

  it("leaves messages written for people as they are", () => {
    expect(wordIssueMessage("use lower-case letters, digits and inner dashes")).toBe(
      "use lower-case letters, digits and inner dashes",
    );
  });
});

describe("sizes and paths", () => {
  it("speaks MB and names paths without API syntax", () => {
    expect(formatBytes(52_428_800)).toBe("50 MB");
    expect(formatBytes(1_572_864)).toBe("1.5 MB");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(12)).toBe("12 bytes");
    expect(wordPath("models.task.baseURL")).toBe("Models › task › base URL");
    expect(wordPath("metrics.0")).toBe("Metrics › #1");
  });
});

describe("wordApiError", () => {
  // The start-run answer of the issue: "Invalid body.metrics: … (and 1 more)".
  const runSpec = apiErrorFrom(
    400,
    envelope(
      "invalid_input",
      "Invalid body.metrics: Too small: expected array to have >=1 items (and 1 more)",
      {
        issues: [
          { in: "body", path: "metrics", message: "Too small: expected array to have >=1 items" },
          { in: "body", path: "budget.calls", message: "Too small: expected number to be >0" },
        ],
      },
    ),
  );

  it("lists every problem with the field named as the form labels it, never 'body.' or '(and 1 more)'", () => {
    const worded = wordApiError(runSpec, { metrics: "Metrics", "budget.calls": "Max LLM calls" });
    expect(worded.fields).toEqual({
      metrics: "choose at least one",
      "budget.calls": "must be greater than 0",
    });
    expect(worded.summary).toBe("Fix the 2 highlighted fields and try again.");
    const noLabels = errorMessage(runSpec);
    expect(noLabels).toBe("Metrics: choose at least one; Budget › calls: must be greater than 0.");
    expect(noLabels).not.toMatch(/body\.|and 1 more|Too small/);
  });

  it("lists the problems no field shows, and points at the ones it does", () => {
    const worded = describeError(runSpec, { metrics: "Metrics" });
    expect(worded.summary).toBe(
      "Budget › calls: must be greater than 0. Also: fix the highlighted field and try again.",
    );
    const nested = wordApiError(runSpec, { budget: "Budget" });
    expect(nested.fields).toEqual({ budget: "Calls: must be greater than 0" });
  });

  it("keeps every problem of one field next to it", () => {
    const error = apiErrorFrom(
      400,
      envelope("invalid_input", "Invalid body.name: x (and 1 more)", {
        issues: [
          { in: "body", path: "name", message: "Too small: expected string to have >=3 characters" },
          { in: "body", path: "name", message: "use lower-case letters, digits and inner dashes" },
        ],
      }),
    );
    expect(error.fieldErrors.name).toBe(
      "use at least 3 characters; use lower-case letters, digits and inner dashes",
    );
    expect(wordApiError(error, { name: "Name" }).summary).toBe("Fix the highlighted field and try again.");
  });

  it("words a refused upload in MB, whatever the message said in bytes", () => {
    const tooLarge = apiErrorFrom(
      413,
      envelope("payload_too_large", "The request body is larger than 52428800 bytes.", {
        issues: [],
        limitBytes: 52_428_800,
      }),
    );
    expect(errorMessage(tooLarge)).toBe("The file is larger than the 50 MB limit. Choose a smaller file.");
    const bare = new ApiError(413, "http_error", "The request body is larger than 1048576 bytes.");
    expect(errorMessage(bare)).toBe("The request body is larger than 1 MB.");
  });

  it("names a query field of a message without issues as the form labels it", () => {
    const error = new ApiError(400, "invalid_input", "Invalid query.expected: Invalid input (and 2 more)");
    expect(errorMessage(error, { expected: "Expected output column" })).toBe(
      "Expected output column: not a valid value.",
    );
  });

  it("says what a role, a sign-out, a server failure and the network mean", () => {
    const forbidden = apiErrorFrom(
      403,
      envelope("forbidden", 'this needs the admin role in project "alpha" (you have editor)', {
        issues: [],
        required: "admin",
        role: "editor",
      }),
    );
    expect(errorMessage(forbidden)).toBe("This needs the admin role; you are an editor.");
    expect(errorMessage(apiErrorFrom(401, envelope("unauthenticated", "Send an API key", {})))).toBe(
      "You are signed out. Sign in again and retry.",
    );
    expect(
      errorMessage(apiErrorFrom(500, envelope("internal", "Internal server error.", { requestId: "r1" }))),
    ).toBe(
      "Something went wrong on the server (reference r1). Try again; if it keeps failing, tell your administrator.",
    );
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/Could not reach the server/);
    expect(errorMessage(apiErrorFrom(409, envelope("conflict", 'project "alpha" is archived', {})))).toBe(
      'Project "alpha" is archived.',
    );
  });
});
