// The egress policy over real HTTP through the gateway: each base URL of the matrix is refused or
// allowed exactly as the setting says, a refused target never sees a connection, redirects are checked
// hop by hop, and only loopback listeners are ever contacted. Every client socket of this process is
// watched through node:net's diagnostics channel, with a tripwire: a connection to anything but loopback
// is stopped before a packet leaves and recorded, so even a broken gateway contacts nothing else.
import diagnostics from "node:diagnostics_channel";
import dns from "node:dns";
import { createServer, type Server } from "node:http";
import { type AddressInfo, BlockList, isIP, isIPv6, type LookupFunction, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmError } from "../core/ports";
import { parseEgressAllow } from "./egress";
import { createLlm } from "./gateway";
import type { HostResolver } from "./gateway/http-fetch";
import { type FakeServer, startFakeOpenAIServer } from "./testing/fake-openai-server";

const LOOPBACK = new BlockList(); // node's own matcher, independent of the code under test
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");
const isLoopback = (address: string) =>
  isIP(address) !== 0 && LOOPBACK.check(address, isIPv6(address) ? "ipv6" : "ipv4");
/** Remote address of every client socket that connected while this file ran. */
const connected: string[] = [];
/** Non-loopback destinations a socket was about to connect to (stopped by the tripwire). */
const stopped: string[] = [];

function tripwire(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) =>
    lookup(hostname, options, (error, address, family) => {
      const found = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const outside = error ? [] : found.filter((a) => !isLoopback(a));
      if (outside.length === 0) return callback(error, address, family);
      stopped.push(...outside);
      callback(new Error(`tripwire: ${hostname} → ${outside.join(", ")}`), "");
    });
}

const watchSocket = (message: unknown) => {
  const socket = (message as { socket: Socket }).socket;
  socket.once("connect", () => connected.push(socket.remoteAddress ?? "?"));
  const connect = socket.connect;
  // net.connect passes its normalized [options, callback]; the options object is the one http built.
  socket.connect = function (this: Socket, ...args: unknown[]) {
    const options = (Array.isArray(args[0]) ? args[0][0] : args[0]) as {
      host?: string;
      lookup?: LookupFunction;
    };
    const host = options.host ?? "localhost";
    if (isIP(host) && !isLoopback(host)) {
      stopped.push(host);
      process.nextTick(() => socket.destroy(new Error(`tripwire: ${host}`)));
      return socket;
    }
    options.lookup = tripwire(options.lookup ?? (dns.lookup as LookupFunction));
    return (connect as (...a: unknown[]) => Socket).apply(this, args);
  } as Socket["connect"];
};

let v4: FakeServer; // 127.0.0.1
let v6: FakeServer; // ::1
/** Answers 307 (or the status in its path) towards v4 or the metadata address, after `n` same-origin hops. */
let redirector: Server;
let redirectorPort = 0;
const redirectorSeen: { path: string; authorization?: string }[] = [];
let redirectorConnections = 0;

beforeAll(async () => {
  diagnostics.subscribe("net.client.socket", watchSocket);
  v4 = await startFakeOpenAIServer({ respond: () => ({ content: "reached v4" }) });
  v6 = await startFakeOpenAIServer({ host: "::1", respond: () => ({ content: "reached v6" }) });
  redirector = createServer((req, res) => {
    req.resume();
    const path = req.url ?? "/";
    redirectorSeen.push({ path, authorization: req.headers.authorization });
    const [, hops, status, target, rest] = /^\/(\d+)\/(\d{3})\/(v4|metadata)\/(.*)$/.exec(path) ?? [];
    const location =
      Number(hops) > 0
        ? `/${Number(hops) - 1}/${status}/${target}/${rest}`
        : target === "v4"
          ? `${v4.url}/${rest}`
          : `http://169.254.169.254/${rest}`;
    res.writeHead(Number(status), { location, "content-length": 0 }).end();
  });
  redirector.on("connection", () => redirectorConnections++);
  await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
  redirectorPort = (redirector.address() as AddressInfo).port;
});

afterAll(async () => {
  diagnostics.unsubscribe("net.client.socket", watchSocket);
  redirector.closeAllConnections();
  await new Promise((resolve) => redirector.close(resolve));
  await Promise.all([v4.close(), v6.close()]);
});

interface Outcome {
  text?: string;
  error?: LlmError;
}

async function call(
  baseURL: string,
  setting: string,
  options: { resolveHost?: HostResolver; env?: Record<string, string> } = {},
): Promise<Outcome> {
  const llm = createLlm({
    env: options.env ?? {},
    maxRetries: 0,
    egress: parseEgressAllow(setting),
    resolveHost: options.resolveHost,
    models: { "openai-compatible:m": { baseURL } },
    onWarning: () => {},
  });
  try {
    const response = await llm.generate({
      model: "openai-compatible:m",
      messages: [{ role: "user", content: "hi" }],
    });
    return { text: response.text };
  } catch (error) {
    expect(error).toBeInstanceOf(LlmError);
    return { error: error as LlmError };
  } finally {
    await llm.close();
  }
}

const traffic = () => ({
  v4: v4.stats().connections + v4.stats().calls,
  v6: v6.stats().connections + v6.stats().calls,
  sockets: connected.length,
});

const A = "{v4}";
const B = "{v6}";
/** [base URL host (port {v4} or {v6}), setting, expected: the text reached, or the refusal message]. */
const MATRIX: [string, string, string][] = [
  [`127.0.0.1:${A}`, "", "127.0.0.1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)"],
  [`127.0.0.1:${A}`, "loopback", "reached v4"],
  [`127.0.0.1:${A}`, `127.0.0.1:${A}`, "reached v4"],
  [
    `localhost:${A}`,
    "",
    "localhost resolves to a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)",
  ],
  [`localhost:${A}`, "loopback", "reached v4"],
  [`localhost:${A}`, `localhost:${A}`, "reached v4"],
  [`[::1]:${B}`, "", "::1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)"],
  [`[::1]:${B}`, "loopback", "reached v6"],
  // 0.0.0.0 reaches the local listeners on Linux: never allowed.
  [`0.0.0.0:${A}`, "", "0.0.0.0 is an unspecified address (never allowed)"],
  [`0.0.0.0:${A}`, "loopback,private", "0.0.0.0 is an unspecified address (never allowed)"],
  [`[::]:${B}`, "loopback,private", ":: is an unspecified address (never allowed)"],
  // WHATWG URL normalizes decimal and hex IPv4 before the check sees them.
  [`2130706433:${A}`, "", "127.0.0.1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)"],
  [`2130706433:${A}`, "loopback", "reached v4"],
  [`0x7f.0.0.1:${A}`, "", "127.0.0.1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)"],
  [`0x7f.0.0.1:${A}`, "loopback", "reached v4"],
  [
    `[::ffff:127.0.0.1]:${A}`,
    "",
    "::ffff:7f00:1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)",
  ],
  [`[::ffff:127.0.0.1]:${A}`, "loopback", "reached v4"],
  ["10.0.0.1:80", "", "10.0.0.1 is a private address (set STROP_EGRESS_ALLOW=private to allow it)"],
  ["10.0.0.1:80", "loopback", "10.0.0.1 is a private address (set STROP_EGRESS_ALLOW=private to allow it)"],
  ["[fd00::1]:80", "loopback", "fd00::1 is a private address (set STROP_EGRESS_ALLOW=private to allow it)"],
  ["169.254.169.254:80", "", "169.254.169.254 is a cloud metadata address (never allowed)"],
  ["169.254.169.254:80", "loopback,private", "169.254.169.254 is a cloud metadata address (never allowed)"],
  ["[fd00:ec2::254]:80", "loopback,private", "fd00:ec2::254 is a cloud metadata address (never allowed)"],
];

describe("egress matrix over HTTP", () => {
  it.each(MATRIX)("http://%s with STROP_EGRESS_ALLOW=%j → %s", async (hostPort, rawSetting, expected) => {
    const fill = (text: string) =>
      text.replaceAll(A, new URL(v4.url).port).replaceAll(B, new URL(v6.url).port);
    const before = traffic();
    const outcome = await call(`http://${fill(hostPort)}/v1`, fill(rawSetting));
    const after = traffic();
    if (expected.startsWith("reached")) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(expected);
      return;
    }
    expect(outcome.text).toBeUndefined();
    expect(outcome.error?.message).toBe(`openai-compatible:m: refused by the egress policy: ${expected}`);
    expect(outcome.error?.retryable).toBe(false);
    // Nothing was contacted: no listener saw a connection, no socket of this process connected.
    expect(after).toEqual(before);
  });
});

describe("names", () => {
  const resolving =
    (table: Record<string, string[]>, calls: string[] = []): HostResolver =>
    async (name) => {
      calls.push(name);
      const addresses = table[name];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" });
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    };
  const port = () => new URL(v4.url).port;

  it("a name resolving to loopback is refused without naming the address, and allowed by the setting", async () => {
    const resolveHost = resolving({ "llm.internal.test": ["127.0.0.1"] });
    const base = () => `http://llm.internal.test:${port()}/v1`;
    const before = traffic();
    const refused = await call(base(), "", { resolveHost });
    expect(refused.error?.message).toBe(
      "openai-compatible:m: refused by the egress policy: llm.internal.test resolves to a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)",
    );
    expect(refused.error?.message).not.toContain("127.0.0.1");
    expect(traffic()).toEqual(before);
    const wrongPort = await call(base(), "llm.internal.test:1", { resolveHost });
    expect(wrongPort.error?.message).toContain("resolves to a loopback address");
    expect((await call(base(), "loopback", { resolveHost })).text).toBe("reached v4");
    expect((await call(base(), `llm.internal.test:${port()}`, { resolveHost })).text).toBe("reached v4");
  });

  it("a name with one refused address among others is refused, before any connection", async () => {
    const resolveHost = resolving({ "mixed.internal.test": ["203.0.113.7", "10.1.2.3"] });
    const before = traffic();
    const outcome = await call("http://mixed.internal.test:80/v1", "", { resolveHost });
    expect(outcome.error?.message).toContain("mixed.internal.test resolves to a private address");
    expect(traffic()).toEqual(before);
  });

  it("resolves once per connection and connects to the address it checked", async () => {
    const calls: string[] = [];
    const resolveHost = resolving({ "once.internal.test": ["127.0.0.1"] }, calls);
    const outcome = await call(`http://once.internal.test:${port()}/v1`, `127.0.0.1:${port()}`, {
      resolveHost,
    });
    expect(outcome.text).toBe("reached v4");
    expect(calls).toEqual(["once.internal.test"]);
  });
});

describe("redirects", () => {
  const via = (hops: number, status: number, target: "v4" | "metadata") =>
    `http://127.0.0.1:${redirectorPort}/${hops}/${status}/${target}/v1`;

  it("a 307 to a loopback port the setting does not allow is refused: the target sees no connection", async () => {
    const before = traffic();
    const outcome = await call(via(0, 307, "v4"), `127.0.0.1:${redirectorPort}`);
    expect(outcome.error?.message).toBe(
      "openai-compatible:m: refused by the egress policy: 127.0.0.1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)",
    );
    expect(traffic().v4).toBe(before.v4);
    expect(redirectorSeen.at(-1)?.path).toBe("/0/307/v4/v1/chat/completions");
  });

  it("a 307 or 308 the setting allows is followed with method and body; the key stays with its origin", async () => {
    for (const status of [307, 308]) {
      const before = v4.requests.length;
      const outcome = await call(via(0, status, "v4"), "loopback", {
        env: { OPENAI_COMPATIBLE_API_KEY: "sk-redirect-test-key" },
      });
      expect(outcome.text).toBe("reached v4");
      const [request] = v4.requests.slice(before);
      expect(request).toMatchObject({ method: "POST", path: "/v1/chat/completions", body: { model: "m" } });
      // Another origin (port): the credential was not sent along.
      expect(request?.headers.authorization).toBeUndefined();
      expect(redirectorSeen.at(-1)?.authorization).toBe("Bearer sk-redirect-test-key");
    }
  });

  it("re-checks every hop: a redirect to the metadata address is refused even with loopback allowed", async () => {
    const outcome = await call(via(1, 307, "metadata"), "loopback,private");
    expect(outcome.error?.message).toBe(
      "openai-compatible:m: refused by the egress policy: 169.254.169.254 is a cloud metadata address (never allowed)",
    );
  });

  it("follows at most 3 redirects and no other 3xx", async () => {
    expect((await call(via(2, 307, "v4"), "loopback")).text).toBe("reached v4");
    const tooMany = await call(via(3, 307, "v4"), "loopback");
    expect(tooMany.error?.message).toBe("openai-compatible:m: HTTP 307 Temporary Redirect");
    const before = traffic().v4;
    const found = await call(via(0, 302, "v4"), "loopback");
    expect(found.error?.message).toBe("openai-compatible:m: HTTP 302 Found");
    expect(traffic().v4).toBe(before);
    expect(redirectorConnections).toBeGreaterThan(0);
  });
});

describe("only loopback was contacted", () => {
  it("no socket of this file tried anything but loopback, and every one that connected reached loopback", () => {
    expect(stopped).toEqual([]);
    expect(connected.length).toBeGreaterThan(0);
    expect(connected.filter((address) => !isLoopback(address))).toEqual([]);
  });
});
