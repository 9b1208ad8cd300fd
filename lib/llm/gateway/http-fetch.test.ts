// The gateway's fetch against a real node:http server: what the AI SDK relies on, for every kind of body,
// and never past the egress policy (the full egress matrix is in ../egress-gateway.test.ts).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
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
    const compressed: Record<string, [string, (b: Buffer) => Buffer]> = {
      "/x-gzip": [" X-GZIP ", gzipSync],
      "/deflate": ["deflate", deflateSync],
      "/br": ["br", brotliCompressSync],
    };
    const [encoding, compress] = compressed[req.url ?? ""] ?? [];
    if (encoding && compress) {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": encoding });
      res.end(compress(Buffer.from(JSON.stringify({ encoding: encoding.trim() }))));
      return;
    }
    if (req.url === "/empty-gzip") {
      res.writeHead(200, { "content-encoding": "gzip", "content-length": "0" }).end();
      return;
    }
    if (req.url?.startsWith("/redirect")) {
      const locations: Record<string, string | undefined> = {
        "/redirect-same": "/echo",
        "/redirect-other": `http://localhost:${(server.address() as AddressInfo).port}/echo`,
        // This server speaks no TLS: following the redirect fails the handshake.
        "/redirect-https": `https://127.0.0.1:${(server.address() as AddressInfo).port}/echo`,
        "/redirect-nowhere": undefined,
        "/redirect-ftp": "ftp://127.0.0.1/file",
        "/redirect-broken": "http://[::1",
      };
      const location = locations[req.url];
      res.writeHead(307, location === undefined ? {} : { location }).end();
      return;
    }
    if (req.url === "/partial") {
      res.writeHead(200, { "content-length": "100" });
      res.write("only ten b");
      setTimeout(() => req.socket.destroy(), 10);
      return;
    }
    if (req.url === "/bad-gzip") {
      res.writeHead(200, { "content-encoding": "gzip" }).end("not gzip at all");
      return;
    }
    if (req.url === "/not-modified") {
      res.writeHead(304).end();
      return;
    }
    if (req.url === "/teapot") {
      res
        .writeHead(418, "Short And Stout", { "content-type": "text/plain", "content-length": "3" })
        .end("tea");
      return;
    }
    res.setHeader("set-cookie", ["a=1", "b=2"]);
    res.writeHead(201, { "content-type": "application/json", "retry-after": "3" });
    res.end(
      JSON.stringify({
        method: req.method,
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        test: req.headers["x-test"],
        length: req.headers["content-length"],
        credentials: [
          "authorization",
          "proxy-authorization",
          "cookie",
          "x-api-key",
          "api-key",
          "x-goog-api-key",
        ]
          .filter((name) => req.headers[name] !== undefined)
          .join(","),
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
      length: "8",
      credentials: "authorization",
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

describe("what the SDK reads from a response", () => {
  it("decodes gzip (any case), deflate and brotli, and drops the encoding and length headers it undid", async () => {
    for (const path of ["/gzip", "/x-gzip", "/deflate", "/br"]) {
      const response = await httpFetch(`${url}${path}`, { method: "POST", body: "x" });
      expect(response.headers.get("content-encoding"), path).toBeNull();
      expect(response.headers.get("content-length"), path).toBeNull();
      expect(response.headers.get("content-type"), path).toBe("application/json");
      expect(await response.json(), path).toEqual(path === "/gzip" ? { zipped: true } : expect.any(Object));
    }
    expect(await (await httpFetch(`${url}/br`, { method: "POST", body: "x" })).json()).toEqual({
      encoding: "br",
    });
    const empty = await httpFetch(`${url}/empty-gzip`, { method: "POST", body: "x" });
    expect(empty.status).toBe(200);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe("");
  });

  it("keeps the length of a body it did not decode, every set-cookie, the status text and the URL", async () => {
    const response = await httpFetch(`${url}/echo`, { method: "POST", body: "abc" });
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(response.url).toBe(`${url}/echo`);
    const teapot = await httpFetch(`${url}/teapot`, { method: "POST", body: "x" });
    expect([teapot.status, teapot.statusText, await teapot.text()]).toEqual([418, "Short And Stout", "tea"]);
    expect(teapot.headers.get("content-length")).toBe("3");
    const notModified = await httpFetch(`${url}/not-modified`, { method: "POST", body: "x" });
    expect(notModified.status).toBe(304);
  });
});

describe("what the SDK sends", () => {
  it("takes headers as a record (skipping undefined values), a Headers object or pairs", async () => {
    const sent = async (headers: HeadersInit) =>
      (await (await httpFetch(`${url}/echo`, { method: "POST", body: "x", headers })).json()) as {
        test?: string;
      };
    expect((await sent({ "x-test": "record", "x-none": undefined } as unknown as HeadersInit)).test).toBe(
      "record",
    );
    expect((await sent(new Headers({ "x-test": "headers" }))).test).toBe("headers");
    expect((await sent([["x-test", "pairs"]])).test).toBe("pairs");
    const skipped = (await (
      await httpFetch(`${url}/echo`, {
        method: "POST",
        body: "x",
        headers: { "x-test": undefined } as unknown as HeadersInit,
      })
    ).json()) as { test?: string };
    expect(skipped.test).toBeUndefined();
  });

  it("sends a string or byte body as it is (no content type added) and GET without init", async () => {
    const stringBody = await (await httpFetch(`${url}/echo`, { method: "POST", body: "plain" })).json();
    expect(stringBody).toMatchObject({ method: "POST", body: "plain" });
    expect(stringBody.type).toBeUndefined();
    const bytes = await (
      await httpFetch(`${url}/echo`, { method: "PUT", body: new TextEncoder().encode("bytes") })
    ).json();
    expect(bytes).toMatchObject({ method: "PUT", body: "bytes" });
    expect(bytes.type).toBeUndefined();
    expect(await (await httpFetch(`${url}/echo`)).json()).toMatchObject({ method: "GET", body: "" });
  });

  it("stops when the signal of a Request input aborts", async () => {
    const controller = new AbortController();
    const pending = httpFetch(
      new Request(`${url}/hang`, { method: "POST", body: "x", signal: controller.signal }),
    );
    const reason = new Error("request aborted");
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});

describe("redirects, failures and connections", () => {
  const credentials = {
    authorization: "Bearer k",
    "proxy-authorization": "Basic p",
    cookie: "c=1",
    "x-api-key": "k",
    "api-key": "k",
    "x-goog-api-key": "k",
    "x-test": "kept",
  };
  // "localhost" is another origin than 127.0.0.1; this resolver sends it to the same server.
  const resolving = createHttpFetch({
    policy: parseEgressAllow("loopback"),
    resolve: async () => [{ address: "127.0.0.1", family: 4 }],
  });

  it("follows a 307 within the origin with every header, to another origin without the credentials", async () => {
    const same = await (
      await resolving(`${url}/redirect-same`, { method: "POST", body: "x", headers: credentials })
    ).json();
    expect(same).toMatchObject({
      body: "x",
      test: "kept",
      credentials: Object.keys(credentials).slice(0, 6).join(","),
    });
    const other = await resolving(`${url}/redirect-other`, {
      method: "POST",
      body: "x",
      headers: credentials,
    });
    expect(other.url).toMatch(/^http:\/\/localhost:\d+\/echo$/);
    expect(await other.json()).toMatchObject({ body: "x", test: "kept", credentials: "" });
  });

  it("follows a 307 to https too (here to a port that answers no TLS, so the call fails)", async () => {
    await expect(resolving(`${url}/redirect-https`, { method: "POST", body: "x" })).rejects.toThrow(
      "fetch failed",
    );
  });

  it("returns a 307 it cannot follow as it is: no Location, not http(s), not a URL", async () => {
    for (const path of ["/redirect-nowhere", "/redirect-ftp", "/redirect-broken"]) {
      const response = await resolving(`${url}${path}`, { method: "POST", body: "x" });
      expect(response.status, path).toBe(307);
      expect(response.url, path).toBe(`${url}${path}`);
    }
  });

  it("states the body's length in bytes, whatever length the caller's headers claimed", async () => {
    expect(await (await httpFetch(`${url}/echo`, { method: "POST", body: "é!" })).json()).toMatchObject({
      length: "3",
    });
    // A stale length would leave the server waiting for bytes that never come.
    for (const name of ["content-length", "Content-Length"]) {
      const claimed = { method: "POST", body: "é!", headers: { [name]: "10" } };
      expect(await (await httpFetch(`${url}/echo`, claimed)).json()).toMatchObject({
        body: "é!",
        length: "3",
      });
    }
  });

  it("does not connect when the signal already aborted", async () => {
    const before = connections;
    const reason = new Error("aborted before");
    await expect(
      httpFetch(`${url}/echo`, { method: "POST", body: "x", signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(connections).toBe(before);
  });

  it("fails like undici when the answer is cut short or cannot be decoded", async () => {
    const partial = await httpFetch(`${url}/partial`, { method: "POST", body: "x" }).catch((e: unknown) => e);
    expect(partial).toBeInstanceOf(TypeError);
    expect((partial as Error).message).toBe("fetch failed");
    expect(((partial as Error).cause as Error).message).toBe("response aborted");
    const garbled = await httpFetch(`${url}/bad-gzip`, { method: "POST", body: "x" }).catch(
      (e: unknown) => e,
    );
    expect(garbled).toBeInstanceOf(TypeError);
    expect((garbled as Error).message).toBe("fetch failed");
  });

  it("fails like undici when the name does not resolve", async () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
    const failing = createHttpFetch({
      policy: parseEgressAllow("loopback"),
      resolve: () => Promise.reject(notFound),
    });
    const error = await failing("http://nowhere.test/v1", { method: "POST", body: "x" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toBe(notFound);
  });

  it("checks a URL without a port against the scheme's default port", async () => {
    // Nothing listens on 127.0.0.3: an allowed destination fails to connect, a refused one never tries.
    const outcome = (policy: string, target: string) =>
      createHttpFetch({ policy: parseEgressAllow(policy) })(target, { method: "POST", body: "x" }).then(
        () => "answered",
        (error: unknown) =>
          error instanceof EgressRefusedError ? "refused" : `failed: ${(error as Error).message}`,
      );
    expect(await outcome("127.0.0.3:80", "http://127.0.0.3/v1")).toBe("failed: fetch failed");
    expect(await outcome("127.0.0.3:443", "http://127.0.0.3/v1")).toBe("refused");
    expect(await outcome("127.0.0.3:443", "https://127.0.0.3/v1")).toBe("failed: fetch failed");
    expect(await outcome("127.0.0.3:80", "https://127.0.0.3/v1")).toBe("refused");
  });

  it("keeps connections alive between calls", async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) await (await httpFetch(`${url}/echo`, { method: "POST", body: "x" })).text();
    expect(connections - before).toBeLessThanOrEqual(1);
  });
});
