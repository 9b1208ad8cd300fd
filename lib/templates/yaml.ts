// Templates as YAML files: reading one (YAML syntax, the document contract, then the content rules,
// each failure a 400 naming the field path) and writing one. The library, imports and exports share it.
import { isMap, parseDocument, stringify } from "yaml";
import { InputError } from "@/lib/core/errors";
import type { ValidationIssue } from "@/lib/validation/common";
import { issuesOf } from "@/lib/validation/parse";
import { type TemplateDocument, templateDocumentSchema } from "@/lib/validation/templates";
import { templateIssues } from "./check";

/** Largest template file accepted (the contract allows 10,000 rows of short cells). */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

function invalid(issues: ValidationIssue[], what: string): InputError {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  const field = first?.path ? ` at ${first.path}` : "";
  return new InputError(`${what}${field}: ${first?.message ?? "invalid"}${more}`, { issues });
}

/**
 * The template a YAML text holds, checked completely. `where` names the input in error details (an
 * uploaded file is the request body). Throws an InputError listing every issue with its field path.
 */
export function parseTemplateYaml(text: string, where: ValidationIssue["in"] = "body"): TemplateDocument {
  const parsed = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (parsed.errors.length > 0) {
    const error = parsed.errors[0]!;
    const line = error.linePos?.[0]?.line;
    throw invalid(
      [
        {
          in: where,
          path: "",
          message: `not valid YAML${line ? ` (line ${line})` : ""}: ${error.message.split("\n")[0]}`,
        },
      ],
      "The template file is not valid YAML",
    );
  }
  if (!isMap(parsed.contents))
    throw invalid(
      [{ in: where, path: "", message: "expected a YAML mapping (slug, name, prompt, …)" }],
      "Invalid template",
    );
  const result = templateDocumentSchema.safeParse(parsed.toJS({ maxAliasCount: 100 }));
  if (!result.success) throw invalid(issuesOf(where, result.error), "Invalid template");
  const issues = templateIssues(result.data).map((issue) => ({ in: where, ...issue }));
  if (issues.length > 0) throw invalid(issues, "Invalid template");
  return result.data;
}

/** The template as a YAML file (block style; long prompts as literal blocks, so they read as written). */
export function templateToYaml(doc: TemplateDocument): string {
  return stringify(doc, { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false });
}
