// Turning a prompt state and an example into chat messages, and naming prompts by their content.
import { hashString } from "./random";
import { renderTemplate, templateVariables } from "./template";
import type { ChatMessage, PromptState, Variables } from "./types";

/** System prompt, then each demo as a user/assistant pair, then the rendered output prompt. */
export function buildMessages(prompt: PromptState, input: Variables): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.systemPrompt.trim()) messages.push({ role: "system", content: prompt.systemPrompt });
  for (const demo of prompt.demos) {
    messages.push({ role: "user", content: renderTemplate(prompt.outputPrompt, demo.input) });
    messages.push({ role: "assistant", content: demo.output });
  }
  messages.push({ role: "user", content: renderTemplate(prompt.outputPrompt, input) });
  return messages;
}

/** Variables the prompt needs from every example (only the output prompt is a template). */
export function promptVariables(prompt: PromptState): string[] {
  return templateVariables(prompt.outputPrompt);
}

/** A short stable key of the prompt's content (not cryptographic: it names cache entries). */
export function promptKey(prompt: PromptState): string {
  const canonical = JSON.stringify([prompt.systemPrompt, prompt.outputPrompt, prompt.demos, prompt.params]);
  return `${hashString(canonical).toString(16)}${hashString(`salt:${canonical}`).toString(16)}`;
}
