// Reading a playground run in the browser: POST the request, then hand each NDJSON record to `onRecord`
// as its line arrives. An error answer (bad input, no access) throws the API's error, like apiRequest.
import { apiErrorFrom } from "@/lib/http/client";
import type { PlaygroundRecord } from "@/lib/validation/playground";

export async function streamPlayground(
  project: string,
  body: unknown,
  onRecord: (record: PlaygroundRecord) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await fetch(`/api/v1/projects/${project}/playground`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/x-ndjson" },
    body: JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  if (!response.ok || !response.body) {
    const data: unknown = await response.json().catch(() => null);
    throw apiErrorFrom(response.status, data);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffered += value;
    const lines = buffered.split("\n");
    buffered = done ? "" : (lines.pop() ?? "");
    for (const line of lines) if (line.trim()) onRecord(JSON.parse(line) as PlaygroundRecord);
    if (done) return;
  }
}
