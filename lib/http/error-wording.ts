// The one place that turns an API error envelope into words for people: field names as the form labels
// them, sizes in MB, no request locations ("body.", "query."), zod's stock phrases ("Too small: expected
// number to be >0") as plain advice, and every field problem kept (next to its field, or listed).
// The API keeps its precise wording for programs; only the browser's reading changes (lib/http/client.ts).
import type { ErrorDetails, ValidationIssue } from "@/lib/validation/common";

/** What an error answer says, as apiErrorFrom reads it. */
export interface ErrorEnvelopeParts {
  status: number;
  code: string;
  message: string;
  details: ErrorDetails;
}

/** Field paths (as the API names them: "name", "models.task", "metrics") → the label the form shows. */
export type FieldLabels = Readonly<Record<string, string>>;

export interface WordedError {
  /** One paragraph for the form's alert: problems no field shows, or a pointer to the marked fields. */
  summary: string;
  /** Messages by the form's field key (a key of `labels`), every problem of the field joined. */
  fields: Record<string, string>;
}

const MB = 1024 * 1024;

/** Bytes as people read them: "50 MB", "1.5 MB", "800 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${trimNumber(bytes / MB)} MB`;
  if (bytes >= 1024) return `${trimNumber(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

const trimNumber = (n: number) => String(Math.round(n * 10) / 10);

const TYPE_WORDS: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "yes or no",
  array: "a list",
  object: "a group of values",
  date: "a date",
};

const sizeWord = (origin: string) =>
  origin === "string" ? "characters" : origin === "array" || origin === "set" ? "items" : "";

/** A validation message in plain words; messages already written for people pass through unchanged. */
export function wordIssueMessage(message: string): string {
  let m: RegExpExecArray | null;
  // zod 4: "Too small: expected number to be >0", "Too big: expected string to have <=100 characters".
  m = /^Too (small|big): expected (\w+) to (?:be|have) ([<>]=?)(-?[\d.e+]+)(?: \w+)?$/.exec(message);
  if (m) {
    const [, , origin, op, raw] = m;
    const unit = sizeWord(origin!);
    const n = Number(raw);
    if (unit) {
      if (op === ">=" && n === 1) return origin === "string" ? "enter a value" : "choose at least one";
      const at = op === ">=" ? "at least" : op === "<=" ? "at most" : op === ">" ? "more than" : "fewer than";
      return `use ${at} ${n} ${unit}`;
    }
    const bound = { ">": "greater than", ">=": "at least", "<": "less than", "<=": "at most" }[op!];
    return `must be ${bound} ${n}`;
  }
  m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (m) {
    const [, type, received] = m;
    if (received === "undefined" || received === "null") return "required";
    return `enter ${TYPE_WORDS[type!] ?? type}`;
  }
  m = /^Invalid option: expected one of (.+)$/.exec(message);
  if (m) return `choose one of ${m[1]!.replaceAll('"', "").split("|").join(", ")}`;
  m = /^Unrecognized keys?: (.+)$/.exec(message);
  if (m) return `not a known setting: ${m[1]!.replaceAll('"', "")}`;
  if (/^Invalid (?:string: must match pattern|input)\b/.test(message)) return "not a valid value";
  if (message === "Invalid email address") return "enter a valid email address";
  if (message === "Invalid URL") return "enter a valid URL";
  if (/^Too (small|big): expected number to be/.test(message)) return "out of range";
  return bytesInWords(message);
}

/** "larger than 52428800 bytes" → "larger than 50 MB". */
function bytesInWords(text: string): string {
  return text.replace(/(\d{4,}) bytes/g, (_all, n: string) => formatBytes(Number(n)));
}

const capitalize = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

/** A path the form has no label for, in words: "models.task.baseURL" → "Models › task › base URL". */
export function wordPath(path: string): string {
  const words = path
    .split(".")
    .filter(Boolean)
    .map((segment) =>
      /^\d+$/.test(segment)
        ? `#${Number(segment) + 1}`
        : segment.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " "),
    )
    .join(" › ");
  return capitalize(words);
}

/** The form's key for a path: the longest labelled path that is the path or a parent of it. */
function labelledKey(path: string, labels: FieldLabels): string | null {
  let best: string | null = null;
  for (const key of Object.keys(labels)) {
    if ((path === key || path.startsWith(`${key}.`)) && (best === null || key.length > best.length))
      best = key;
  }
  return best;
}

function fieldName(path: string, labels: FieldLabels): string {
  const key = labelledKey(path, labels);
  if (key === null) return wordPath(path);
  const rest = path.slice(key.length + 1);
  return rest ? `${labels[key]} › ${wordPath(rest).toLowerCase()}` : labels[key]!;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The envelope's own message (no field issues) in the user's words, by code where the code says more. */
function wordMessage(error: ErrorEnvelopeParts, labels: FieldLabels): string {
  const { code, details } = error;
  if (code === "payload_too_large") {
    return details.limitBytes !== undefined
      ? `The file is larger than the ${formatBytes(details.limitBytes)} limit. Choose a smaller file.`
      : "The file is too large. Choose a smaller file.";
  }
  if (code === "rate_limited" && details.retryAfterSeconds !== undefined)
    return `Too many requests. Try again in ${Math.ceil(details.retryAfterSeconds)} seconds.`;
  if (code === "unauthenticated") return "You are signed out. Sign in again and retry.";
  if (code === "forbidden" && details.required && details.role)
    return `This needs the ${details.required} role; you are ${/^[aeiou]/.test(details.role) ? "an" : "a"} ${details.role}.`;
  if (code === "internal") {
    const ref = details.requestId ? ` (reference ${details.requestId})` : "";
    return `Something went wrong on the server${ref}. Try again; if it keeps failing, tell your administrator.`;
  }
  // "Invalid query.expected: …" → "Expected output column: …" (or the path in words).
  const named = error.message.replace(
    /^Invalid (?:body|query|params)\.([\w.]+): (.*?)(?: \(and \d+ more\))?$/s,
    (_all, path: string, rest: string) => `${fieldName(path, labels)}: ${wordIssueMessage(rest)}`,
  );
  return sentence(capitalize(bytesInWords(named)));
}

/**
 * Words for an error answer. `labels` names the fields the form shows (by API path): their problems go
 * to `fields`, every other problem is listed in `summary` with the field named as people would.
 */
export function wordApiError(error: ErrorEnvelopeParts, labels: FieldLabels = {}): WordedError {
  const issues: ValidationIssue[] = error.details.issues;
  if (issues.length === 0) return { summary: wordMessage(error, labels), fields: {} };
  const fields: Record<string, string[]> = {};
  const listed: string[] = [];
  for (const issue of issues) {
    const message = wordIssueMessage(issue.message);
    const key = labelledKey(issue.path, labels);
    if (key !== null) {
      const rest = issue.path.slice(key.length + 1);
      const own = rest ? `${wordPath(rest)}: ${message}` : message;
      fields[key] = [...(fields[key] ?? []), own];
    } else if (issue.path) {
      listed.push(`${fieldName(issue.path, labels)}: ${message}`);
    } else {
      listed.push(capitalize(message));
    }
  }
  const marked = Object.keys(fields).length;
  const pointer =
    marked === 0
      ? ""
      : marked === 1
        ? "Fix the highlighted field and try again."
        : `Fix the ${marked} highlighted fields and try again.`;
  const summary = listed.length
    ? [
        sentence(unique(listed).join("; ")),
        pointer && `Also: ${pointer[0]!.toLowerCase()}${pointer.slice(1)}`,
      ]
        .filter(Boolean)
        .join(" ")
    : pointer;
  return {
    summary,
    fields: Object.fromEntries(Object.entries(fields).map(([key, list]) => [key, unique(list).join("; ")])),
  };
}

const unique = (items: string[]) => [...new Set(items)];
