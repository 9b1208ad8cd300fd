// The tags of the OpenAPI document: display names and descriptions, in the order the API reference's
// navigation shows them.
import type { Operation } from "./registry";

export interface OpenApiTag {
  name: string;
  /** The name readers see (OpenAPI renderers honour `x-displayName`). */
  "x-displayName": string;
  description?: string;
}

/**
 * The operations' tags in reading order, as the reference page's navigation shows them. A tag used by an
 * operation but missing here is still declared (after these, by name), so the document stays valid.
 */
const TAGS: OpenApiTag[] = [
  {
    name: "account",
    "x-displayName": "Account",
    description: "Who you are: your user or API key, your password and your sessions.",
  },
  {
    name: "projects",
    "x-displayName": "Projects",
    description: "Everything lives in a project: create, list, rename and archive them.",
  },
  {
    name: "members",
    "x-displayName": "Members",
    description: "Who belongs to a project, with which role: viewer, editor, admin or owner.",
  },
  {
    name: "api-keys",
    "x-displayName": "API keys",
    description:
      "Keys for scripts and applications, one project and one role each; the secret is shown once.",
  },
  { name: "audit", "x-displayName": "Audit log", description: "Who changed what in a project, and when." },
  {
    name: "ml-settings",
    "x-displayName": "Models and metrics",
    description:
      "Provider credentials (write-only), model configurations and metric configurations that runs and batches use by name.",
  },
  {
    name: "datasets",
    "x-displayName": "Datasets",
    description:
      "Upload CSV, JSONL or JSON files with a column mapping; every upload or edit is a new, immutable version.",
  },
  {
    name: "prompts",
    "x-displayName": "Prompts",
    description:
      "Tasks and their prompt versions; labels such as production and staging, their history, protection and change requests; diffs and comparisons.",
  },
  {
    name: "runs",
    "x-displayName": "Runs",
    description:
      "Optimization and evaluation runs: start one, follow it live, cancel, read per-example results.",
  },
  {
    name: "batches",
    "x-displayName": "Batches",
    description: "Run a prompt version over a whole dataset and download the outputs.",
  },
  {
    name: "templates",
    "x-displayName": "Templates",
    description:
      "Ready-made tasks to start from: the built-in library and the project's own; use, save, import and export them.",
  },
  {
    name: "experiments",
    "x-displayName": "Experiments",
    description:
      "A/B tests between versions of one prompt on a label's live traffic: sticky variants, exposures and analyses.",
  },
  {
    name: "feedback",
    "x-displayName": "Feedback",
    description: "What users thought of a generation or an experiment's answer, sent by applications.",
  },
  {
    name: "playground",
    "x-displayName": "Playground",
    description: "Try the same inputs on several versions or drafts side by side, without saving a run.",
  },
  {
    name: "serving",
    "x-displayName": "Serving",
    description: "For applications: fetch a prompt by label, generate with it, and send feedback.",
  },
  { name: "meta", "x-displayName": "This API", description: "The OpenAPI document itself." },
];

export function declaredTags(operations: Operation[]): OpenApiTag[] {
  const used = new Set(operations.flatMap((op) => op.tags));
  const known = TAGS.filter((tag) => used.has(tag.name));
  const unknown = [...used]
    .filter((name) => !TAGS.some((tag) => tag.name === name))
    .sort()
    .map((name) => ({ name, "x-displayName": name }));
  return [...known, ...unknown];
}
