// The wire format of the fake OpenAI server (./fake-openai-server.ts): what a request means (FakeCall),
// what a scripted reply may be (FakeReply), and how a reply is written in OpenAI's JSON and SSE shapes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { loadSim, type SimMessage } from "../providers/sim";

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  /** Lower-case names; credential headers (authorization, x-api-key, ...) have the value "[redacted]". */
  headers: Record<string, string>;
  /** Parsed JSON body (the raw text when it is not JSON; undefined when empty). */
  body: unknown;
  /** When it arrived (Date.now()): tests line requests up with other processes' timestamps. */
  receivedAt: number;
}

export interface FakeCall {
  kind: "chat" | "responses" | "embeddings";
  /** 0-based position among all model calls this server received. */
  index: number;
  model: string;
  /** chat / responses: the conversation as text messages ("developer" counts as "system"). */
  messages: SimMessage[];
  /** embeddings: the input texts. */
  input: string[];
  /** chat / responses: whether a JSON response format was requested. */
  json: boolean;
  body: Record<string, unknown>;
  request: RecordedRequest;
}

export type FakeReply =
  /** A completion; usage defaults to ~4 characters per token. */
  | { content: string; usage?: { promptTokens: number; completionTokens: number }; finishReason?: string }
  /** Embeddings for an embeddings call. */
  | { embeddings: number[][]; promptTokens?: number }
  /** An HTTP error (or any status); a string body is sent as text/plain; default: OpenAI's error shape. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Destroy the connection without answering. */
  | "reset"
  /** A 200 whose body is malformed JSON (the answer's JSON with a trailing comma). */
  | "badJson"
  /** A 200 whose body is the answer's JSON cut in half (complete HTTP message, truncated content). */
  | "truncated";

/** The replies that are an answer (not trouble). */
export type FakeAnswer = Exclude<FakeReply, "reset" | "badJson" | "truncated" | { status: number }>;

/** How a 200's body is spoiled, for the "badJson" and "truncated" replies and faults. */
export type BodyDamage = "badJson" | "truncated";

export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : ""))
    .filter((t) => t !== "")
    .join("\n");
}

function toMessages(items: unknown): SimMessage[] {
  if (typeof items === "string") return [{ role: "user", content: items }];
  if (!Array.isArray(items)) return [];
  const messages: SimMessage[] = [];
  for (const item of items) {
    if (!item || typeof item !== "object" || !("role" in item)) continue;
    const role = item.role === "developer" ? "system" : item.role;
    if (role !== "system" && role !== "user" && role !== "assistant") continue;
    messages.push({ role, content: textOf((item as { content?: unknown }).content) });
  }
  return messages;
}

function isJsonFormat(format: unknown): boolean {
  const type = format && typeof format === "object" && "type" in format ? format.type : undefined;
  return type === "json_object" || type === "json_schema";
}

export function describeCall(
  kind: FakeCall["kind"],
  body: Record<string, unknown>,
  index: number,
  request: RecordedRequest,
) {
  const model = typeof body.model === "string" ? body.model : "";
  if (kind === "embeddings") {
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
    return { kind, index, model, messages: [], input, json: false, body, request } satisfies FakeCall;
  }
  if (kind === "responses") {
    const messages = toMessages(body.input);
    if (typeof body.instructions === "string")
      messages.unshift({ role: "system", content: body.instructions });
    const text = body.text as { format?: unknown } | undefined;
    return {
      kind,
      index,
      model,
      messages,
      input: [],
      json: isJsonFormat(text?.format),
      body,
      request,
    } satisfies FakeCall;
  }
  const messages = toMessages(body.messages);
  return {
    kind,
    index,
    model,
    messages,
    input: [],
    json: isJsonFormat(body.response_format),
    body,
    request,
  } satisfies FakeCall;
}

export async function simulate(call: FakeCall): Promise<FakeAnswer> {
  const sim = await loadSim();
  if (call.kind === "embeddings") {
    return {
      embeddings: sim.simEmbed(call.input),
      promptTokens: call.input.reduce((n, t) => n + estimateTokens(t), 0),
    };
  }
  const { temperature, seed } = call.body;
  const result = sim.simChat({
    model: call.model,
    messages: call.messages,
    ...(typeof temperature === "number" && { temperature }),
    ...(typeof seed === "number" && { seed }),
    ...(call.json && { json: true }),
  });
  return {
    content: result.text,
    usage: { promptTokens: result.usage.inputTokens, completionTokens: result.usage.outputTokens },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function errorBody(status: number, message: string) {
  return {
    error: {
      message,
      type: status >= 500 ? "server_error" : "invalid_request_error",
      param: null,
      code: null,
    },
  };
}

/** A streaming chat answer: the same completion as server-sent events. */
function chatStream(res: ServerResponse, call: FakeCall, reply: FakeAnswer & { content: string }) {
  const completion = answerJson(call, reply).body as {
    id: string;
    created: number;
    model: string;
    system_fingerprint: string;
    choices: [{ finish_reason: string }];
    usage: object;
  };
  const { id, created, model, system_fingerprint } = completion;
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const send = (chunk: object) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, system_fingerprint, ...chunk })}\n\n`,
    );
  send({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const piece of reply.content.match(/\S+\s*|\s+/g) ?? []) {
    send({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  }
  send({ choices: [{ index: 0, delta: {}, finish_reason: completion.choices[0].finish_reason }] });
  const streamOptions = call.body.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage) send({ choices: [], usage: completion.usage });
  res.end("data: [DONE]\n\n");
}

/** The JSON answer to `call` (the SSE stream of a streaming chat call is written by sendReply). */
function answerJson(call: FakeCall, reply: FakeAnswer): { status: number; body: unknown } {
  const created = Math.floor(Date.now() / 1000);
  if ("embeddings" in reply) {
    const promptTokens = reply.promptTokens ?? call.input.reduce((n, t) => n + estimateTokens(t), 0);
    return {
      status: 200,
      body: {
        object: "list",
        data: reply.embeddings.map((embedding, index) => ({ object: "embedding", index, embedding })),
        model: call.model,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      },
    };
  }
  if (call.kind === "embeddings") {
    return {
      status: 500,
      body: errorBody(500, "fake server: a { content } reply cannot answer an embeddings call"),
    };
  }
  const promptTokens =
    reply.usage?.promptTokens ?? call.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
  const completionTokens = reply.usage?.completionTokens ?? estimateTokens(reply.content);
  const finish = reply.finishReason ?? "stop";
  if (call.kind === "responses") {
    return {
      status: 200,
      body: {
        id: `resp_fake_${call.index}`,
        object: "response",
        created_at: created,
        status: "completed",
        model: call.model,
        output: [
          {
            type: "message",
            id: `msg_fake_${call.index}`,
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: reply.content, annotations: [] }],
          },
        ],
        incomplete_details: finish === "length" ? { reason: "max_output_tokens" } : null,
        usage: {
          input_tokens: promptTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: completionTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: promptTokens + completionTokens,
        },
      },
    };
  }
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  return {
    status: 200,
    body: {
      id: `chatcmpl-fake-${call.index}`,
      object: "chat.completion",
      created,
      model: call.model,
      system_fingerprint: "fp_fake",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.content, refusal: null },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage,
    },
  };
}

/** Writes the answer: JSON, or SSE for a streaming chat call; `damage` spoils a 200's JSON body. */
export function sendReply(res: ServerResponse, call: FakeCall, reply: FakeAnswer, damage?: BodyDamage): void {
  if (call.kind === "chat" && call.body.stream === true && "content" in reply && !damage) {
    chatStream(res, call, reply);
    return;
  }
  const { status, body } = answerJson(call, reply);
  if (!damage) {
    sendJson(res, status, body);
    return;
  }
  const text = JSON.stringify(body);
  const spoiled =
    damage === "badJson" ? `${text.slice(0, -1)},}` : text.slice(0, Math.floor(text.length / 2));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(spoiled) });
  res.end(spoiled);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export const ROUTES: Record<string, FakeCall["kind"]> = {
  "/v1/chat/completions": "chat",
  "/v1/responses": "responses",
  "/v1/embeddings": "embeddings",
};
