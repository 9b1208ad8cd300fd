// The gateway's fetch against a real node:http server: what the AI SDK relies on, for every kind of body,
// and never past the egress policy (the full egress matrix is in ../egress-gateway.test.ts).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressRefusedError, PUBLIC_ONLY, parseEgressAllow } from "../egress";
import { createHttpFetch } from "./http-fetch";

const httpFetch = createHttpFetch({ policy: parseEgressAllow("loopback") });

let url = "";
let connections = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/empty") {
      res.writeHead(204).end();
      return;
    }
    if (req.url === "/hang") return;
    if (req.url === "/gzip") {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ zipped: true })));
      return;
    }
    if (req.url === "/reset") {
      req.socket.destroy();
      return;
    }
    res.setHeader("set-cookie", ["a=1", "b=2"]);
    res.writeHead(201, { "content-type": "application/json", "retry-after": "3" });
    res.end(
      JSON.stringify({
        method: req.method,
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        body: Buffer.concat(chunks).toString(),
      }),
    );
  });
});

server.on("connection", () => connections++);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("httpFetch", () => {
  it("sends method, headers and body; returns status, headers and a readable body", async () => {
    const response = await httpFetch(`${url}/echo`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ é: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(Object.fromEntries([...response.headers])["content-type"]).toBe("application/json");
    expect(await response.json()).toEqual({
      method: "POST",
      auth: "Bearer k",
      type: "application/json",
      body: '{"é":1}',
    });
  });

  it("decodes a compressed body", async () => {
    const response = await httpFetch(`${url}/gzip`, { method: "POST", body: "x" });
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.json()).toEqual({ zipped: true });
  });

  it("handles a body-less 204", async () => {
    const response = await httpFetch(`${url}/empty`, { method: "POST", body: "" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("fails like undici on a connection failure, and with the signal's reason on abort", async () => {
    const reset = await httpFetch(`${url}/reset`, { method: "POST", body: "x" }).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(TypeError);
    expect((reset as Error).message).toBe("fetch failed");
    expect((reset as Error).cause).toBeInstanceOf(Error);
    const controller = new AbortController();
    const pending = httpFetch(`${url}/hang`, { method: "POST", body: "x", signal: controller.signal });
    const reason = new Error("stop");
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});

describe("bodies and inputs other than a string URL with a string body", () => {
  it("are read into bytes and sent by the same client, never handed to globalThis.fetch", async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed"));
        controller.close();
      },
    });
    const cases: [RequestInfo | URL, RequestInit, { type?: string; body: string }][] = [
      [
        `${url}/echo`,
        { method: "POST", body: new URLSearchParams({ a: "1" }) },
        { type: "application/x-www-form-urlencoded;charset=UTF-8", body: "a=1" },
      ],
      [
        `${url}/echo`,
        { method: "POST", body: new Blob(["blob"], { type: "text/plain" }) },
        { type: "text/plain", body: "blob" },
      ],
      [`${url}/echo`, { method: "POST", body: stream }, { body: "streamed" }],
      [new URL(`${url}/echo`), { method: "POST", body: "from a URL" }, { body: "from a URL" }],
      [
        new Request(`${url}/echo`, { method: "POST", body: "from a Request" }),
        {},
        { type: "text/plain;charset=UTF-8", body: "from a Request" },
      ],
    ];
    const original = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new Error("globalThis.fetch must not be used"));
    try {
      for (const [input, init, expected] of cases) {
        const response = await httpFetch(input, init);
        expect(await response.json()).toMatchObject({ method: "POST", ...expected });
      }
    } finally {
      globalThis.fetch = original;
    }
  });

  it("are under the egress policy too", async () => {
    const strict = createHttpFetch({ policy: PUBLIC_ONLY });
    const before = connections;
    const inputs: [RequestInfo | URL, RequestInit][] = [
      [new Request(`${url}/echo`, { method: "POST", body: "x" }), {}],
      [`${url}/echo`, { method: "POST", body: new Blob(["x"]) }],
      [new URL(`${url}/echo`), {}],
    ];
    for (const [input, init] of inputs) {
      await expect(strict(input, init)).rejects.toThrow(EgressRefusedError);
    }
    expect(connections).toBe(before);
    await expect(httpFetch("data:text/plain,hello")).rejects.toThrow(
      "only http and https URLs are supported (got data:)",
    );
  });
});
