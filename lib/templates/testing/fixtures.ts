// Templates for tests (the real library is content written separately): a small ticket-routing template
// with 30 rows, built through the contract so defaults apply as they do for a YAML file.
import { stringify } from "yaml";
import {
  type TemplateDocument,
  type TemplateDocumentInput,
  templateDocumentSchema,
} from "@/lib/validation/templates";

const SUBJECTS: [string, string][] = [
  ["I was charged twice for my March invoice", "billing"],
  ["The app crashes when I open the settings page", "bug"],
  ["Can you add dark mode to the dashboard?", "feature"],
  ["How do I reset my password?", "account"],
  ["Refund for the annual plan I cancelled yesterday", "billing"],
  ["Export to CSV drops the last column", "bug"],
];

/** 30 rows: id, subject, channel, the expected team. */
export function fixtureRows(count = 30): Record<string, string | number | boolean>[] {
  return Array.from({ length: count }, (_, i) => {
    const [subject, team] = SUBJECTS[i % SUBJECTS.length]!;
    return { id: `t${i + 1}`, subject: `${subject} (#${1000 + i})`, channel: i % 2 ? "email" : "chat", team };
  });
}

export function fixtureInput(overrides: Partial<TemplateDocumentInput> = {}): TemplateDocumentInput {
  return {
    slug: "ticket-routing",
    name: "Ticket routing",
    category: "routing",
    description: "Send each support ticket to the team that handles it.",
    notes: "Use when tickets arrive in one queue. Keep the team list short and mutually exclusive.",
    tags: ["support", "triage"],
    prompt: {
      system: "You route customer support tickets. Answer with one team name only.",
      output: "Channel: {{channel}}\nTicket: {{subject}}\nTeams: billing, bug, feature, account\nTeam:",
      params: { temperature: 0 },
      demos: [],
    },
    variables: {
      type: "object",
      properties: {
        subject: { type: "string", description: "The ticket's subject line" },
        channel: { type: "string", enum: ["email", "chat"], default: "email" },
      },
      required: ["subject"],
    },
    metrics: [{ name: "exact_match", options: { caseSensitive: false }, weight: 1 }],
    dataset: { expected: "team", id: "id", rows: fixtureRows() },
    ...overrides,
  };
}

export function fixtureTemplate(overrides: Partial<TemplateDocumentInput> = {}): TemplateDocument {
  return templateDocumentSchema.parse(fixtureInput(overrides));
}

export function fixtureYaml(overrides: Partial<TemplateDocumentInput> = {}): string {
  return stringify(fixtureInput(overrides));
}
