// Template categories in the user's words (the API's ids are kebab-case).
import type { TemplateCategory } from "@/lib/validation/templates";

export const CATEGORY_LABELS: Record<TemplateCategory, string> = {
  classification: "Classification",
  extraction: "Extraction to JSON",
  summarization: "Summarization",
  "question-answering": "Question answering over a context",
  rewriting: "Rewriting and tone",
  translation: "Translation",
  "code-review": "Code review",
  routing: "Routing and tool choice",
  safety: "Safety and moderation",
  grading: "Grading (LLM as judge)",
};

export const templatePath = (project: string, slug?: string) =>
  `/projects/${project}/templates${slug ? `/${encodeURIComponent(slug)}` : ""}`;

export const templateApiPath = (project: string, rest = "") =>
  `/api/v1/projects/${encodeURIComponent(project)}/templates${rest}`;
