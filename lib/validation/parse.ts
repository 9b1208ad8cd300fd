// zod failures as InputErrors (400 over HTTP) that name the field, e.g. `Invalid body.email: enter a
// valid email address`, with every issue in `details.issues` (`{ in, path, message }`) for forms.
import type * as z from "zod";
import { InputError } from "@/lib/core/errors";
import type { ValidationIssue } from "./common";

export type InputLocation = ValidationIssue["in"];

export function issuesOf(location: InputLocation, error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    in: location,
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export function validationError(location: InputLocation, error: z.ZodError): InputError {
  const issues = issuesOf(location, error);
  const first = issues[0];
  const field = first?.path ? `${location}.${first.path}` : location;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new InputError(`Invalid ${field}: ${first?.message ?? "invalid value"}${more}`, { issues });
}

export function parseInput<T extends z.ZodType>(
  location: InputLocation,
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(location, result.error);
  return result.data;
}
