// A minimal loopback JSON server for provider wire-format tests (Anthropic /v1/messages, Vertex
// :generateContent): one handler, every request recorded with credential headers redacted.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedRequest } from "./fake-openai-server";

export interface JsonStub {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
]);

export async function startJsonStub(
  handler: (request: RecordedRequest) => { status?: number; body: unknown },
): Promise<JsonStub> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = SECRET_HEADERS.has(name) ? "[redacted]" : String(value);
    }
    let body: unknown = raw;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      // keep the raw text
    }
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      headers,
      body,
      receivedAt: Date.now(),
    };
    requests.push(request);
    const reply = handler(request);
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
