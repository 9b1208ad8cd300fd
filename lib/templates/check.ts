// The content rules every template must follow beyond its document shape (lib/validation/templates.ts):
// the prompt's `{{variables}}` and the declared ones agree (lib/core/variables.ts), demos and dataset
// rows give every required variable and the expected output, and each suggested metric is registered
// with valid options. The built-in library's test and every import run the same checks, so a file that
// imports cleanly is one "Use this template" can turn into a task, a dataset and metric configurations.
import { templateVariables } from "@/lib/core/template";
import { checkTemplateAgainstSchema, isNeeded } from "@/lib/core/variables";
import { MetricConfigError } from "@/lib/metrics/errors";
import { isMetricName, metricNames, parseMetricOptions } from "@/lib/metrics/registry";
import type { TemplateDocument } from "@/lib/validation/templates";

/** A rule a template breaks: the dotted path of the field in the document, and why. */
export interface TemplateIssue {
  path: string;
  message: string;
}

/** At most this many row issues are listed (a broken column would otherwise repeat on every row). */
const MAX_ROW_ISSUES = 20;

const isBlank = (value: unknown) => value === undefined || (typeof value === "string" && value.trim() === "");

function promptIssues(doc: TemplateDocument): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const { unknown, unused } = checkTemplateAgainstSchema({ outputPrompt: doc.prompt.output }, doc.variables);
  for (const name of unknown)
    issues.push({ path: "prompt.output", message: `uses {{${name}}}, which variables does not declare` });
  for (const name of unused)
    issues.push({
      path: `variables.properties.${name}`,
      message: "declared but the output prompt never uses it",
    });
  // Only the output prompt is rendered (lib/core/prompt.ts): a {{variable}} in the system prompt would
  // reach the model as written.
  for (const name of templateVariables(doc.prompt.system))
    issues.push({
      path: "prompt.system",
      message: `{{${name}}} is not filled in the system prompt; move it to the output prompt`,
    });
  for (const [i, demo] of doc.prompt.demos.entries()) {
    for (const name of Object.keys(doc.variables.properties).filter((n) => isNeeded(doc.variables, n)))
      if (isBlank(demo.input[name]))
        issues.push({
          path: `prompt.demos.${i}.input.${name}`,
          message: "the demo does not give this variable",
        });
  }
  return issues;
}

function rowIssues(doc: TemplateDocument): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const needed = Object.keys(doc.variables.properties).filter((name) => isNeeded(doc.variables, name));
  const ids = new Map<string, number>();
  for (const [i, row] of doc.dataset.rows.entries()) {
    const at = `dataset.rows.${i}`;
    if (isBlank(row[doc.dataset.expected]))
      issues.push({
        path: `${at}.${doc.dataset.expected}`,
        message: "the expected output is missing or empty",
      });
    for (const name of needed)
      if (isBlank(row[name]))
        issues.push({ path: `${at}.${name}`, message: "the required variable is missing" });
    if (doc.dataset.id !== undefined) {
      const id = row[doc.dataset.id];
      if (isBlank(id)) issues.push({ path: `${at}.${doc.dataset.id}`, message: "the row has no id" });
      else if (ids.has(String(id)))
        issues.push({
          path: `${at}.${doc.dataset.id}`,
          message: `id "${id}" repeats row ${ids.get(String(id))}`,
        });
      else ids.set(String(id), i);
    }
    if (issues.length >= MAX_ROW_ISSUES) break;
  }
  if (doc.variables.properties[doc.dataset.expected])
    issues.push({
      path: "dataset.expected",
      message: "the expected output column cannot also be a variable",
    });
  if (doc.dataset.id !== undefined && doc.variables.properties[doc.dataset.id])
    issues.push({ path: "dataset.id", message: "the id column cannot also be a variable" });
  return issues;
}

function metricIssues(doc: TemplateDocument): TemplateIssue[] {
  return doc.metrics.flatMap((metric, i): TemplateIssue[] => {
    if (!isMetricName(metric.name))
      return [
        { path: `metrics.${i}.name`, message: `unknown metric; known metrics: ${metricNames.join(", ")}` },
      ];
    try {
      parseMetricOptions(metric.name, metric.options);
      return [];
    } catch (error) {
      if (!(error instanceof MetricConfigError)) throw error;
      return error.issues.map((issue) => ({
        path: `metrics.${i}.options${issue.field ? `.${issue.field}` : ""}`,
        message: issue.message,
      }));
    }
  });
}

/** Every rule the template breaks (empty: it is usable). */
export function templateIssues(doc: TemplateDocument): TemplateIssue[] {
  return [...promptIssues(doc), ...rowIssues(doc), ...metricIssues(doc)];
}
