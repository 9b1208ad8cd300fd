// Who is on the other end of a request. Route handlers get no socket, and `next start` fills
// X-Forwarded-For with the socket's address only when the client has not sent one — so that header
// alone is whatever the client says. Instead, every incoming request is stamped with the socket's
// address (peer-address-stamp.ts, installed from instrumentation.ts) in a header whose value carries a
// per-process secret: a client can send the header but cannot forge the secret, so a copy that did
// not come from the stamp is ignored. X-Forwarded-For is read only when the operator says how many
// proxies in front of the app append to it (STROP_TRUSTED_PROXY_HOPS), and then from the right.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/** Environment variables as read here (process.env, or a plain object in tests). */
export type Env = Record<string, string | undefined>;

export const PEER_ADDRESS_HEADER = "x-strop-peer-address";
export const TRUSTED_PROXY_HOPS_ENV = "STROP_TRUSTED_PROXY_HOPS";

// On globalThis: instrumentation and route handlers are separate bundles in one process.
const TOKEN = Symbol.for("strop.peer-address-token");
type WithToken = typeof globalThis & { [TOKEN]?: Buffer };

function processToken(): Buffer {
  const global = globalThis as WithToken;
  global[TOKEN] ??= Buffer.from(randomBytes(18).toString("base64url"));
  return global[TOKEN];
}

/** The header value that vouches for `address` in this process. */
export function peerAddressStamp(address: string): string {
  return `${processToken().toString()} ${address}`;
}

/** The address in a stamp made by this process, or null (absent, forged, or from another process). */
export function peerAddressFromStamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const space = value.indexOf(" ");
  if (space < 0) return null;
  const token = processToken();
  const given = Buffer.from(value.slice(0, space));
  if (given.length !== token.length || !timingSafeEqual(given, token)) return null;
  return normalizeAddress(value.slice(space + 1));
}

/**
 * An IP address as one canonical string, or null when `raw` is not one: accepts the forms proxies
 * write (`::ffff:1.2.3.4`, `[::1]`, `[::1]:443`, `1.2.3.4:5678`); IPv4-mapped IPv6 becomes IPv4.
 */
export function normalizeAddress(raw: string): string | null {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1]!;
  if (address.includes("%")) address = address.slice(0, address.indexOf("%"));
  return isIP(address) ? address.toLowerCase() : null;
}

const parsedHops = new Map<string, number | Error>();

/** STROP_TRUSTED_PROXY_HOPS as a whole number 0..10, or an Error naming the variable. */
export function parseTrustedProxyHops(raw: string | undefined): number | Error {
  const value = (raw ?? "").trim();
  if (value === "") return 0;
  if (!/^\d+$/.test(value) || Number(value) > 10) {
    return new Error(
      `${TRUSTED_PROXY_HOPS_ENV} must be a whole number from 0 to 10 (the reverse proxies in front of the app), got ${JSON.stringify(raw)}`,
    );
  }
  return Number(value);
}

/** The configured hops; an invalid setting counts as 0 (trust no header) — start-up reports it. */
export function trustedProxyHops(env: Env = process.env): number {
  const raw = env[TRUSTED_PROXY_HOPS_ENV] ?? "";
  let hops = parsedHops.get(raw);
  if (hops === undefined) {
    hops = parseTrustedProxyHops(raw);
    parsedHops.set(raw, hops);
  }
  return hops instanceof Error ? 0 : hops;
}

/**
 * The client's address, pure. With `hops` trusted proxies, each appends the address it received the
 * request from to X-Forwarded-For, and the peer is the last proxy: walking the chain
 * [...forwardedFor, peer] from the right, the client is `hops` entries left of the peer. Entries further
 * left were written by the client and are never used. A chain shorter than `hops` yields its leftmost
 * entry (the request came through fewer proxies than configured). A trusted entry that is not an IP
 * address (a misconfigured proxy) yields null.
 */
export function resolveClientAddress(input: {
  peer: string | null;
  forwardedFor: string | null | undefined;
  hops: number;
}): string | null {
  if (input.hops <= 0 || input.peer === null) return input.peer;
  const forwarded = (input.forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, input.peer];
  const index = Math.max(0, chain.length - 1 - input.hops);
  return index === chain.length - 1 ? input.peer : normalizeAddress(chain[index]!);
}

/** The client's address from a request's headers (null when the app did not stamp the request). */
export function clientAddress(
  get: (name: string) => string | null | undefined,
  hops: number = trustedProxyHops(),
): string | null {
  const peer = peerAddressFromStamp(get(PEER_ADDRESS_HEADER));
  return resolveClientAddress({ peer, forwardedFor: hops > 0 ? get("x-forwarded-for") : null, hops });
}

/** Whether the request reached the first trusted proxy over https (HSTS): needs trusted hops. */
export function forwardedHttps(
  get: (name: string) => string | null | undefined,
  hops: number = trustedProxyHops(),
): boolean {
  if (hops <= 0) return false;
  return get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
