// zod failures as InputErrors (400 over HTTP) that name the field, e.g. `Invalid body.email: enter a
// valid email address`, with every issue in `details.issues` (`{ in, path, message }`) for forms.
import type * as z from "zod";
import { InputError } from "@/lib/core/errors";
import type { ErrorDetails, ValidationIssue } from "./common";

export type InputLocation = ValidationIssue["in"];

/**
 * Issues with every failed union (`a string or an object …`) replaced by the issues of the branch the
 * value was meant for — the branches whose type matched — so that a bad field inside an inline object is
 * named (`models.task.baseURL`) instead of the union as a whole ("models.task: Invalid input").
 */
export function expandUnionIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const matching = issue.errors.filter(
      (branch) => !branch.some((i) => i.code === "invalid_type" && i.path.length === 0),
    );
    if (matching.length === 0) return [issue];
    const closest = matching.reduce((best, branch) => (branch.length < best.length ? branch : best));
    return expandUnionIssues(closest.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

/** `prefix`: the path of the parsed value inside the request (e.g. "provider" for one field). */
export function issuesOf(location: InputLocation, error: z.ZodError, prefix = ""): ValidationIssue[] {
  return expandUnionIssues(error.issues).map((issue) => ({
    in: location,
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

export function validationError(location: InputLocation, error: z.ZodError, prefix = ""): InputError {
  const issues = issuesOf(location, error, prefix);
  const first = issues[0];
  const field = first?.path ? `${location}.${first.path}` : location;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new InputError(`Invalid ${field}: ${first?.message ?? "invalid value"}${more}`, { issues });
}

export function parseInput<T extends z.ZodType>(
  location: InputLocation,
  schema: T,
  value: unknown,
  prefix = "",
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(location, result.error, prefix);
  return result.data;
}

/**
 * Bad input naming one field: `Invalid <location>.<path>: <message>`, the field in `details.issues`,
 * and the fields some errors add (lib/validation/common.ts ErrorDetails).
 */
export function fieldError(
  location: InputLocation,
  path: string,
  message: string,
  extra: Omit<ErrorDetails, "issues"> = {},
): InputError {
  return new InputError(`Invalid ${location}.${path}: ${message}`, {
    issues: [{ in: location, path, message }],
    ...extra,
  } satisfies ErrorDetails);
}
