// The offline LLM simulator behind "sim:*" model ids: deterministic, no I/O, fast. It plays three roles,
// recognized from the messages: optimizer (a <brief> in the last user message), judge (<output> and
// <expected> tags) and task model (anything else). It is a simulator for demos and tests, not evidence
// about how real models behave.
import { embedText } from "./embed";
import { judge, readJudgeRequest } from "./judge";
import type { SimMessage } from "./messages";
import { answerOptimizer } from "./optimize";
import { answerTask } from "./task";
import { estimateTokens } from "./text";

export interface SimChatInput {
  model: string;
  messages: SimMessage[];
  temperature?: number;
  seed?: number;
  json?: boolean;
}

export interface SimChatResult {
  text: string;
  /** Estimated as one token per ~4 characters (rounded up) of message content and of the reply. */
  usage: { inputTokens: number; outputTokens: number };
}

function lastUserMessage(messages: SimMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i]?.role === "user") return messages[i]?.content ?? "";
  return "";
}

export function simChat(input: SimChatInput): SimChatResult {
  const last = lastUserMessage(input.messages);
  let text: string;
  if (last.includes("<brief>") && last.includes("</brief>")) {
    text = answerOptimizer(last, input.seed);
  } else {
    const request = readJudgeRequest(last);
    text = request ? JSON.stringify(judge(request)) : answerTask(input);
  }
  const inputTokens = input.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
  return { text, usage: { inputTokens, outputTokens: estimateTokens(text) } };
}

/** Deterministic 256-dimensional embeddings (hashed words and character trigrams, L2-normalized). */
export function simEmbed(texts: string[]): number[][] {
  return texts.map(embedText);
}
