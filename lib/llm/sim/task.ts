// The task role: answer whatever the prompt asks (classify, extract, or a plain answer) from what the
// prompt says, in the format it asks for, with a small deterministic chance of a slip.
import { classify, type Decision, freeFormAnswer } from "./classify";
import { type Extracted, extractFields, MISSING_PLACEHOLDER } from "./extract";
import { readPrompt, type SimMessage } from "./messages";
import { type NoiseSource, noiseFor } from "./noise";
import type { FieldSpec, Instructions } from "./prompt-reading";

export interface TaskCall {
  model: string;
  messages: SimMessage[];
  temperature?: number;
  seed?: number;
  json?: boolean;
}

function hedge(decision: Decision, noise: NoiseSource): string {
  const { label, why } = decision;
  const forms = [
    `It's hard to say for sure, but I would go with ${label}.`,
    `Probably ${label}${why ? `, since ${why}` : ""}.`,
    `I'd classify this as ${label}${why ? `, although ${why}` : ""}.`,
  ];
  return forms[Math.floor(noise.pick("hedge") * forms.length)] as string;
}

function renderDecision(decision: Decision, ins: Instructions, json: boolean, noise: NoiseSource): string {
  if (json) return JSON.stringify({ label: decision.label });
  if (ins.explain) {
    const why = decision.why || "the wording points that way";
    return `${decision.label}\n\nExplanation: ${why.charAt(0).toUpperCase()}${why.slice(1)}.`;
  }
  if (ins.answerOnly || decision.confident) return decision.label;
  return hedge(decision, noise);
}

function slipLabel(decision: Decision, ins: Instructions, noise: NoiseSource): Decision {
  const others = ins.labels.map((l) => l.name).filter((l) => l !== decision.label);
  const label =
    decision.runnerUp && decision.runnerUp !== decision.label && noise.pick("slip-which") < 0.7
      ? decision.runnerUp
      : others[Math.floor(noise.pick("slip-label") * others.length)];
  return label ? { ...decision, label } : decision;
}

/** A plausible wrong value for one field. */
function slipField(values: Extracted, fields: FieldSpec[], noise: NoiseSource): Extracted {
  const field = fields[Math.floor(noise.pick("slip-field") * fields.length)];
  if (!field) return values;
  const value = values[field.name];
  let wrong: string | number | null = value ?? null;
  if (typeof value === "number") wrong = Number.isInteger(value) ? value + 10 : Math.trunc(value);
  else if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Number(value.slice(8, 10));
    wrong = `${value.slice(0, 8)}${String(day === 28 ? 27 : day + 1).padStart(2, "0")}`;
  } else if (typeof value === "string" && value.includes(" "))
    wrong = value.split(" ").slice(0, -1).join(" ");
  else if (typeof value === "string") wrong = MISSING_PLACEHOLDER;
  return { ...values, [field.name]: wrong };
}

function renderJson(values: Extracted, ins: Instructions, json: boolean): string {
  if (json || (ins.answerOnly && !ins.explain)) return JSON.stringify(values);
  const block = `\`\`\`json\n${JSON.stringify(values, null, 2)}\n\`\`\``;
  if (ins.explain) return `${block}\n\nI took each value from the message as written.`;
  return `Here is the extracted information:\n\n${block}`;
}

function plainAnswer(input: string): string {
  const first = input.split(/(?<=[.!?])\s+/)[0]?.trim() ?? "";
  return first
    ? `Here is my answer, based on the text: ${first}`
    : "Could you tell me what you would like me to do?";
}

export function answerTask(call: TaskCall): string {
  const view = readPrompt(call.messages);
  const ins = view.instructions;
  const promptText = call.messages.map((m) => `${m.role}:${m.content}`).join("\n");
  const noise = noiseFor(call.model, promptText, call.seed, call.temperature);
  const json = call.json === true;

  if (ins.fields.length > 0 && (ins.wantsJson || json)) {
    let values = extractFields(view.input, ins.fields, ins);
    if (noise.slips) values = slipField(values, ins.fields, noise);
    return renderJson(values, ins, json);
  }
  let decision = classify(view.input, ins, view.demos);
  if (decision) {
    if (noise.slips) decision = slipLabel(decision, ins, noise);
    return renderDecision(decision, ins, json, noise);
  }
  if (ins.subject !== null) return freeFormAnswer(view.input, ins);
  return plainAnswer(view.input);
}
