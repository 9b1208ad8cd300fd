// One streamed attempt at the provider (LanguageModelV3.doStream without the SDK's retries): text
// deltas go to `onText` as they arrive; the finish part's usage is the attempt's usage. An error part
// or a broken stream throws. Once text has reached the caller, a retry would repeat it, so a failure
// after the first delta is marked `StreamBrokenError` and the gateway does not retry it.
import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type { LlmRequest } from "../../core/ports";
import type { UnsupportedSetting } from "../providers/index";
import { type AttemptResult, toPrompt } from "./provider-call";

/** A stream that failed after some of its text reached the caller: not retried. */
export class StreamBrokenError extends Error {
  constructor(readonly failure: unknown) {
    super("the answer broke off after it had started");
    this.name = "StreamBrokenError";
  }
}

export async function streamOnce(
  model: LanguageModelV3,
  unsupported: ReadonlySet<UnsupportedSetting>,
  request: LlmRequest,
  abortSignal: AbortSignal,
  onText: (delta: string) => void,
): Promise<AttemptResult> {
  const params = request.params ?? {};
  let text = "";
  try {
    const { stream } = await model.doStream({
      prompt: toPrompt(request),
      temperature: params.temperature,
      maxOutputTokens: params.maxOutputTokens,
      topP: params.topP,
      seed: unsupported.has("seed") ? undefined : params.seed,
      responseFormat: request.json && !unsupported.has("json") ? { type: "json" } : undefined,
      includeRawChunks: false,
      abortSignal,
    });
    let usage = { inputTokens: 0, outputTokens: 0 };
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const part: LanguageModelV3StreamPart = value;
        if (part.type === "text-delta" && part.delta) {
          text += part.delta;
          onText(part.delta);
        } else if (part.type === "error") throw part.error;
        else if (part.type === "finish")
          usage = {
            inputTokens: part.usage.inputTokens.total ?? 0,
            outputTokens: part.usage.outputTokens.total ?? 0,
          };
      }
    } catch (error) {
      // Stops the provider's response (the connection is not read any further).
      await reader.cancel(error).catch(() => {});
      throw error;
    }
    return { text, usage };
  } catch (error) {
    throw text === "" ? error : new StreamBrokenError(error);
  }
}
