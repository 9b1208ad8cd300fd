// Reading a chat: which lines are instructions, which are the input to work on, which pairs are demos.
import { fieldKind, type Instructions, readInstructionsCached } from "./prompt-reading";
import { listItems } from "./text";

export interface SimMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface Demo {
  input: string;
  output: string;
}

export interface PromptView {
  instructions: Instructions;
  /** The text the task is about (the rendered variables). */
  input: string;
  demos: Demo[];
}

/** "Review: …" style lines: the prefix names the input, the rest is input. */
const INPUT_PREFIX =
  /^\s*(?:review|text|ticket|message|input|email|e-mail|customer message|document|query|passage|sentence|comment|tweet|post|conversation|content|data)\s*:\s*(.*)$/i;
/** Lines that end a prompt with the name of the answer ("Sentiment:"), as in completion-style prompts. */
const ANSWER_SLOT = /^\s*(?:sentiment|label|intent|category|class|answer|output|json|result)\s*:\s*$/i;
const COMMAND =
  /^\s*(?:[-*•]\s*)?(?:please\s+)?(?:classify|categori[sz]e|label|answer|respond|reply|return|output|extract|determine|identify|decide|route|choose|pick|assign|provide|format|tell me|here is|here's|below is|the following)\b/i;
const TASK_WORD =
  /\b(?:sentiment|label|labels|categor\w*|intent|json|field|fields|key|keys|classif\w*|review|ticket|message|text|team|options?|format|only|extract\w*|route|answer)\b/i;
const RULE_START =
  /^\s*(?:[-*•]\s*)?(?:if|when|do not|don't|never|always|only|use|write|read|give|note|remember|rules?:|labels?:|options?:|categories:|fields?:|keys?:)/i;
const STRONG_TASK_WORD =
  /\b(?:sentiment|label|labels|categor\w*|intent|json|field|fields|key|keys|classif\w*|null|yyyy-mm-dd)\b/i;
const TASK_QUESTION =
  /\b(?:sentiment|intent|categor\w*|label|team|department|tone|classif\w*|route|json|extract)\b/i;

/** Whether a line of the user message is part of the instructions rather than the input. */
export function isInstructionLine(line: string, knownLabels: string[]): boolean {
  if (ANSWER_SLOT.test(line)) return true;
  if (COMMAND.test(line) && TASK_WORD.test(line)) return true;
  if (RULE_START.test(line) && STRONG_TASK_WORD.test(line)) return true;
  if (/\?\s*$/.test(line) && TASK_QUESTION.test(line) && line.split(/\s+/).length <= 16) return true;
  if (knownLabels.length >= 2) {
    const lower = line.toLowerCase();
    if (knownLabels.filter((l) => lower.includes(l.toLowerCase())).length >= 2) return true;
  }
  return false;
}

export interface SplitMessage {
  instructions: string[];
  input: string;
  /** The message ends with an answer slot such as "Sentiment:". */
  answerSlot: boolean;
}

/**
 * Splits a user message into instruction lines and input. Lines shared with the other user messages
 * of the chat (the template, when demos exist) are instructions; otherwise a line is an instruction
 * when it reads like one.
 */
export function splitUserMessage(
  content: string,
  templateLines: Set<string>,
  knownLabels: string[],
): SplitMessage {
  const instructions: string[] = [];
  const inputLines: string[] = [];
  let answerSlot = false;
  const lines = content.split("\n");
  for (const [i, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === "") {
      if (inputLines.length > 0) inputLines.push("");
      continue;
    }
    if (templateLines.has(trimmed) || isInstructionLine(trimmed, knownLabels)) {
      instructions.push(trimmed);
      if (ANSWER_SLOT.test(trimmed) && i >= lines.length - 2) answerSlot = true;
      continue;
    }
    const prefixed = INPUT_PREFIX.exec(trimmed);
    if (prefixed && inputLines.length === 0) {
      if ((prefixed[1] ?? "") !== "") inputLines.push(prefixed[1] as string);
      continue;
    }
    inputLines.push(line.replace(/\s+$/, ""));
  }
  let input = inputLines.join("\n").trim();
  if (input === "" && instructions.length > 0) input = instructions[instructions.length - 1] as string;
  // A quoted or fenced input: the quotes are packaging, not content.
  input = input.replace(/^(?:"""|```|<\w+>)\s*|\s*(?:"""|```|<\/\w+>)$/g, "").trim();
  return { instructions, input, answerSlot };
}

function sharedLines(messages: string[]): Set<string> {
  if (messages.length < 2) return new Set();
  const sets = messages.map((m) => new Set(m.split("\n").map((l) => l.trim())));
  const first = sets[0] as Set<string>;
  return new Set([...first].filter((line) => line !== "" && sets.every((s) => s.has(line))));
}

function looksBare(output: string): boolean {
  const text = output.trim();
  if (/^[{[]/.test(text)) return true;
  return text.split(/\s+/).length <= 3 && !/[.!?]$/.test(text);
}

/** Lessons a model takes from demo outputs: the label set, the format and JSON conventions. */
function learnFromDemos(base: Instructions, demos: Demo[]): Instructions {
  if (demos.length === 0) return base;
  const ins: Instructions = { ...base, labels: [...base.labels], fields: [...base.fields] };
  if (demos.every((d) => looksBare(d.output))) ins.answerOnly = true;
  const jsonOutputs: Record<string, unknown>[] = [];
  for (const demo of demos) {
    const text = demo.output.trim();
    if (text.startsWith("{")) {
      try {
        const value = JSON.parse(text) as unknown;
        if (value && typeof value === "object" && !Array.isArray(value))
          jsonOutputs.push(value as Record<string, unknown>);
      } catch {
        // Not JSON after all: the demo still shows a format, nothing more to learn.
      }
      continue;
    }
    if (looksBare(text) && listItems(text).length === 1) {
      if (!ins.labels.some((l) => l.name.toLowerCase() === text.toLowerCase()))
        ins.labels.push({ name: text, definition: "", cues: [] });
    }
  }
  if (jsonOutputs.length > 0) {
    ins.wantsJson = true;
    if (ins.fields.length === 0) {
      const keys = [...new Set(jsonOutputs.flatMap((o) => Object.keys(o)))];
      ins.fields = keys.map((name) => ({ name, description: "", kind: fieldKind(name, "") }));
    }
    const values = jsonOutputs.flatMap((o) => Object.entries(o));
    const kindOf = (key: string) => ins.fields.find((f) => f.name === key)?.kind;
    for (const [key, value] of values) {
      if (value === null) ins.nullMissing = true;
      if (kindOf(key) === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value))
        ins.isoDates = true;
      if (kindOf(key) === "amount" && typeof value === "number") ins.numericAmounts = true;
      if (kindOf(key) === "currency" && typeof value === "string" && /^[A-Z]{3}$/.test(value))
        ins.currencyCodes = true;
    }
  }
  return ins;
}

/** Reads a chat the way the task model does. */
export function readPrompt(messages: SimMessage[]): PromptView {
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const chat = messages.filter((m) => m.role !== "system");
  let finalIndex = -1;
  for (let i = chat.length - 1; i >= 0; i--) {
    if (chat[i]?.role === "user") {
      finalIndex = i;
      break;
    }
  }
  const final = finalIndex >= 0 ? (chat[finalIndex]?.content ?? "") : "";
  const demoPairs: { user: string; assistant: string }[] = [];
  for (let i = 0; i + 1 < finalIndex; i++) {
    const user = chat[i];
    const assistant = chat[i + 1];
    if (user?.role === "user" && assistant?.role === "assistant") {
      demoPairs.push({ user: user.content, assistant: assistant.content });
      i++;
    }
  }
  const template = sharedLines([final, ...demoPairs.map((d) => d.user)]);
  // Labels named anywhere in the prompt help to tell a line listing them from the input.
  const promptLabels = readInstructionsCached(`${system}\n${final}`).labels.map((l) => l.name);
  const split = splitUserMessage(final, template, promptLabels);
  const instructionText = [system, ...split.instructions].filter((t) => t !== "").join("\n");
  let instructions = readInstructionsCached(instructionText);
  if (split.answerSlot && !instructions.answerOnly) instructions = { ...instructions, answerOnly: true };
  const labelNames = instructions.labels.map((l) => l.name);
  const demos = demoPairs.map((d) => ({
    input: splitUserMessage(d.user, template, labelNames).input,
    output: d.assistant,
  }));
  return { instructions: learnFromDemos(instructions, demos), input: split.input, demos };
}
