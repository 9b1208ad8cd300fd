import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientAddress,
  forwardedHttps,
  normalizeAddress,
  PEER_ADDRESS_HEADER,
  parseTrustedProxyHops,
  peerAddressFromStamp,
  peerAddressStamp,
  resolveClientAddress,
  trustedProxyHops,
} from "./client-address";
import { installPeerAddressStamp } from "./peer-address-stamp";

const headersOf =
  (headers: Record<string, string>) =>
  (name: string): string | undefined =>
    headers[name];

describe("client address", () => {
  it("with no trusted proxy: the peer, whatever X-Forwarded-For says", () => {
    const get = headersOf({
      [PEER_ADDRESS_HEADER]: peerAddressStamp("198.51.100.7"),
      "x-forwarded-for": "203.0.113.66",
      "x-real-ip": "203.0.113.67",
    });
    expect(clientAddress(get, 0)).toBe("198.51.100.7");
  });

  it("with hops: the entry that many steps left of the peer; client-written entries further left are ignored", () => {
    const resolve = (forwardedFor: string, hops: number) =>
      resolveClientAddress({ peer: "10.0.0.2", forwardedFor, hops });
    // client → proxy A (appends the client) → app: one hop.
    expect(resolve("203.0.113.5", 1)).toBe("203.0.113.5");
    // The client sent its own X-Forwarded-For; proxy A appended the real address.
    expect(resolve("6.6.6.6, 203.0.113.5", 1)).toBe("203.0.113.5");
    // Two proxies: client → A → B → app. B appended A's address.
    expect(resolve("6.6.6.6, 203.0.113.5, 10.0.0.1", 2)).toBe("203.0.113.5");
    // Fewer entries than hops: the leftmost there is.
    expect(resolve("203.0.113.5", 3)).toBe("203.0.113.5");
    expect(resolve("", 1)).toBe("10.0.0.2");
    // A trusted entry that is not an address: unknown, never the raw text.
    expect(resolve("6.6.6.6, not-an-ip", 1)).toBeNull();
  });

  it("ignores a peer header the process did not stamp (sent by the client, or from another process)", () => {
    expect(peerAddressFromStamp("198.51.100.7")).toBeNull();
    expect(peerAddressFromStamp("forged-token 198.51.100.7")).toBeNull();
    expect(peerAddressFromStamp(peerAddressStamp("198.51.100.7"))).toBe("198.51.100.7");
    const get = headersOf({ [PEER_ADDRESS_HEADER]: "x 198.51.100.7", "x-forwarded-for": "203.0.113.66" });
    expect(clientAddress(get, 0)).toBeNull();
  });

  it("normalizes the forms proxies write and refuses anything else", () => {
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(normalizeAddress(" fe80::1%eth0 ")).toBe("fe80::1");
    for (const bad of ["", "unknown", "0x7f.0.0.1", "2130706433", "1.2.3.4.5", "<script>"])
      expect(normalizeAddress(bad)).toBeNull();
  });

  it("reads STROP_TRUSTED_PROXY_HOPS; a bad value trusts nothing", () => {
    expect(parseTrustedProxyHops(undefined)).toBe(0);
    expect(parseTrustedProxyHops(" 2 ")).toBe(2);
    expect(parseTrustedProxyHops("yes")).toBeInstanceOf(Error);
    expect(parseTrustedProxyHops("-1")).toBeInstanceOf(Error);
    expect(trustedProxyHops({ STROP_TRUSTED_PROXY_HOPS: "1" })).toBe(1);
    expect(trustedProxyHops({ STROP_TRUSTED_PROXY_HOPS: "true" })).toBe(0);
  });

  it("trusts X-Forwarded-Proto only behind trusted proxies", () => {
    const get = headersOf({ "x-forwarded-proto": "https" });
    expect(forwardedHttps(get, 0)).toBe(false);
    expect(forwardedHttps(get, 1)).toBe(true);
    expect(forwardedHttps(headersOf({ "x-forwarded-proto": "http" }), 1)).toBe(false);
  });
});

describe("peer address stamp on a real HTTP server", () => {
  let server: http.Server;
  let port = 0;
  const seen: (string | null)[] = [];

  beforeAll(async () => {
    installPeerAddressStamp();
    installPeerAddressStamp(); // idempotent
    server = http.createServer((req, res) => {
      seen.push(clientAddress((name) => req.headers[name] as string | undefined, 0));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("stamps the socket's address over any copy the client sends", async () => {
    await fetch(`http://127.0.0.1:${port}/`, {
      headers: {
        [PEER_ADDRESS_HEADER]: "anything 203.0.113.66",
        "x-forwarded-for": "203.0.113.67",
      },
    });
    await fetch(`http://127.0.0.1:${port}/`);
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});
