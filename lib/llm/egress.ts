// The egress policy of provider calls: which addresses the gateway may connect to. Pure: it decides on
// an address already resolved (gateway/http-fetch.ts resolves, asks, and connects to that address).
// Default: public addresses only. The operator's STROP_EGRESS_ALLOW may open loopback and private
// ranges (whole classes, one address, one address and port, one host name and port, or a CIDR);
// link-local, cloud metadata, unspecified, multicast and reserved addresses are refused whatever it says,
// because no model server lives there and they are what an attacker aims a base URL at.
import ipaddr from "ipaddr.js";

export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "multicast"
  | "reserved";

/** Classes no setting can allow. */
export const ALWAYS_REFUSED: ReadonlySet<AddressClass> = new Set([
  "link-local",
  "metadata",
  "unspecified",
  "multicast",
  "reserved",
]);

/** The variable the operator sets. */
export const EGRESS_ALLOW_ENV = "STROP_EGRESS_ALLOW";

type IP = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [IP, number];

const cidr = (text: string): Range => ipaddr.parseCIDR(text);

/**
 * Instance metadata services: AWS, GCP, Azure, Oracle (169.254.169.254), AWS over IPv6, Alibaba (inside
 * 100.64/10, which is otherwise private) and Azure's host endpoint (a public address only VMs reach).
 */
const METADATA = ["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "168.63.129.16"].map((a) =>
  ipaddr.parse(a).toNormalizedString(),
);

/** First match wins; anything else is public. */
const IPV4_CLASSES: [Range, AddressClass][] = [
  [cidr("0.0.0.0/8"), "unspecified"],
  [cidr("127.0.0.0/8"), "loopback"],
  [cidr("169.254.0.0/16"), "link-local"],
  [cidr("224.0.0.0/4"), "multicast"],
  [cidr("240.0.0.0/4"), "reserved"], // includes the broadcast address 255.255.255.255
  [cidr("10.0.0.0/8"), "private"],
  [cidr("172.16.0.0/12"), "private"],
  [cidr("192.168.0.0/16"), "private"],
  [cidr("100.64.0.0/10"), "private"], // carrier-grade NAT, used inside clouds and VPNs
];

const IPV6_CLASSES: [Range, AddressClass][] = [
  [cidr("::/128"), "unspecified"],
  [cidr("::1/128"), "loopback"],
  [cidr("fe80::/10"), "link-local"],
  [cidr("ff00::/8"), "multicast"],
  [cidr("fc00::/7"), "private"], // unique local
  [cidr("fec0::/10"), "private"], // deprecated site-local, still routed by some networks
];

/**
 * IPv6 forms that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) and the
 * deprecated IPv4-compatible form (::a.b.c.d; "::" and "::1" themselves are classified as IPv6).
 */
const EMBEDDING_IPV4: Range[] = [
  cidr("::ffff:0:0/96"),
  cidr("::ffff:0:0:0/96"),
  cidr("64:ff9b::/96"),
  cidr("64:ff9b:1::/48"),
  cidr("::/96"),
];

/** The address a connection to `ip` reaches: the embedded IPv4 of the forms above, else `ip` itself. */
function effectiveAddress(ip: IP): IP {
  if (ip.kind() === "ipv4") return ip;
  const v6 = ip as ipaddr.IPv6;
  if (v6.match(cidr("::/127"))) return v6; // "::" and "::1"
  if (!EMBEDDING_IPV4.some((range) => v6.match(range))) return v6;
  const high = v6.parts[6] ?? 0;
  const low = v6.parts[7] ?? 0;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function classOf(ip: IP): AddressClass {
  if (METADATA.includes(ip.toNormalizedString())) return "metadata";
  const table = ip.kind() === "ipv4" ? IPV4_CLASSES : IPV6_CLASSES;
  for (const [range, addressClass] of table) {
    if (range[0].kind() === ip.kind() && ip.match(range)) return addressClass;
  }
  return "public";
}

function parseAddress(address: string): IP {
  return ipaddr.parse(withoutBrackets(address));
}

function withoutBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** The class of an IP address (IPv4-mapped and similar IPv6 forms by their IPv4). Throws on a non-IP. */
export function classifyAddress(address: string): AddressClass {
  return classOf(effectiveAddress(parseAddress(address)));
}

type AllowEntry =
  | { kind: "class"; addressClass: "loopback" | "private" }
  | { kind: "address"; address: string; port?: number }
  | { kind: "range"; range: Range }
  | { kind: "host"; host: string; port: number };

export interface EgressPolicy {
  /** The setting in canonical form ("" for the default): equal keys mean equal policies. */
  readonly key: string;
  readonly entries: readonly AllowEntry[];
}

/** The default: public addresses only. */
export const PUBLIC_ONLY: EgressPolicy = { key: "", entries: [] };

/** A connection the policy refuses; `message` is safe to show (it never names a resolved address). */
export class EgressRefusedError extends Error {
  constructor(
    message: string,
    readonly addressClass: AddressClass,
  ) {
    super(message);
    this.name = "EgressRefusedError";
  }
}

/** STROP_EGRESS_ALLOW holds an entry that is not one of the accepted forms. */
export class EgressSettingError extends Error {
  constructor(entry: string, problem: string) {
    super(`${EGRESS_ALLOW_ENV}: invalid entry "${entry}": ${problem}`);
    this.name = "EgressSettingError";
  }
}

const ARTICLE: Record<AddressClass, string> = {
  public: "a public",
  loopback: "a loopback",
  private: "a private",
  "link-local": "a link-local",
  metadata: "a cloud metadata",
  unspecified: "an unspecified",
  multicast: "a multicast",
  reserved: "a reserved",
};

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function parsePort(entry: string, text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) {
    throw new EgressSettingError(entry, `"${text}" is not a port (1-65535)`);
  }
  return port;
}

/** Accepts IPv4 only as four decimal numbers: a setting should say plainly what it opens. */
function parseEntryAddress(entry: string, text: string): IP {
  if (ipaddr.IPv4.isValid(text) && !ipaddr.IPv4.isValidFourPartDecimal(text)) {
    throw new EgressSettingError(entry, "write an IPv4 address as four decimal numbers (a.b.c.d)");
  }
  if (!ipaddr.isValid(text)) throw new EgressSettingError(entry, `"${text}" is not an IP address`);
  const ip = effectiveAddress(ipaddr.parse(text));
  const addressClass = classOf(ip);
  if (ALWAYS_REFUSED.has(addressClass)) {
    throw new EgressSettingError(entry, `${ARTICLE[addressClass]} address can never be allowed`);
  }
  return ip;
}

function parseEntry(entry: string): AllowEntry {
  const text = entry.toLowerCase();
  if (text === "loopback" || text === "private") return { kind: "class", addressClass: text };
  if (text.includes("/")) {
    if (!ipaddr.isValidCIDR(text)) throw new EgressSettingError(entry, "not a CIDR range (e.g. 10.1.0.0/16)");
    if (!text.includes(":") && !ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
      throw new EgressSettingError(
        entry,
        "write an IPv4 range as four decimal numbers and a length (a.b.c.d/n)",
      );
    }
    const range = ipaddr.parseCIDR(text);
    // A range lying wholly inside an always-refused block would allow nothing: say so.
    for (const [block, addressClass] of [...IPV4_CLASSES, ...IPV6_CLASSES]) {
      const inside =
        ALWAYS_REFUSED.has(addressClass) &&
        block[0].kind() === range[0].kind() &&
        range[1] >= block[1] &&
        range[0].match(block);
      if (inside) throw new EgressSettingError(entry, `${ARTICLE[addressClass]} range can never be allowed`);
    }
    return { kind: "range", range };
  }
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    const ip = parseEntryAddress(entry, bracketed[1] ?? "");
    const port = bracketed[2] === undefined ? undefined : parsePort(entry, bracketed[2]);
    return { kind: "address", address: ip.toNormalizedString(), port };
  }
  if (text.split(":").length > 2) {
    return { kind: "address", address: parseEntryAddress(entry, text).toNormalizedString() };
  }
  const [name = "", portText] = text.split(":");
  if (ipaddr.IPv4.isValid(name)) {
    const ip = parseEntryAddress(entry, name);
    const port = portText === undefined ? undefined : parsePort(entry, portText);
    return { kind: "address", address: ip.toNormalizedString(), port };
  }
  const host = name.replace(/\.$/, "");
  if (!HOST_NAME.test(host)) throw new EgressSettingError(entry, "not an address, a CIDR range or host:port");
  if (portText === undefined) {
    throw new EgressSettingError(
      entry,
      `a host name needs its port (e.g. ${host}:11434), or use loopback/private`,
    );
  }
  return { kind: "host", host, port: parsePort(entry, portText) };
}

function entryKey(entry: AllowEntry): string {
  switch (entry.kind) {
    case "class":
      return entry.addressClass;
    case "address":
      return entry.port === undefined ? entry.address : `[${entry.address}]:${entry.port}`;
    case "range":
      return `${entry.range[0].toNormalizedString()}/${entry.range[1]}`;
    case "host":
      return `${entry.host}:${entry.port}`;
  }
}

/** Parses a STROP_EGRESS_ALLOW value (comma-separated); throws EgressSettingError naming a bad entry. */
export function parseEgressAllow(value: string | undefined): EgressPolicy {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map(parseEntry);
  const key = [...new Set(entries.map(entryKey))].sort().join(",");
  return { key, entries };
}

/** The policy the operator set through STROP_EGRESS_ALLOW (public addresses only when unset). */
export function egressPolicyFromEnv(env: Record<string, string | undefined>): EgressPolicy {
  return parseEgressAllow(env[EGRESS_ALLOW_ENV]);
}

export interface EgressTarget {
  /** The URL's host as the caller wrote it (an IP literal without brackets, or a name). */
  host: string;
  port: number;
  /** The address about to be connected to: `host` itself, or one `host` resolved to. */
  address: string;
}

function allows(entry: AllowEntry, target: EgressTarget, ip: IP, addressClass: AddressClass): boolean {
  switch (entry.kind) {
    case "class":
      return entry.addressClass === addressClass;
    case "address":
      return entry.address === ip.toNormalizedString() && (entry.port ?? target.port) === target.port;
    case "range":
      return entry.range[0].kind() === ip.kind() && ip.match(entry.range);
    case "host":
      return entry.host === target.host.toLowerCase().replace(/\.$/, "") && entry.port === target.port;
  }
}

/**
 * Undefined when the policy allows connecting to `target.address`, else the refusal. The message names
 * the host as written and the address class, never an address a name resolved to.
 */
export function checkEgress(policy: EgressPolicy, target: EgressTarget): EgressRefusedError | undefined {
  const ip = effectiveAddress(parseAddress(target.address));
  const addressClass = classOf(ip);
  if (addressClass === "public") return undefined;
  if (!ALWAYS_REFUSED.has(addressClass) && policy.entries.some((e) => allows(e, target, ip, addressClass))) {
    return undefined;
  }
  const subject = ipaddr.isValid(withoutBrackets(target.host))
    ? `${target.host} is`
    : `${target.host} resolves to`;
  const remedy = ALWAYS_REFUSED.has(addressClass)
    ? "never allowed"
    : `set ${EGRESS_ALLOW_ENV}=${addressClass} to allow it`;
  return new EgressRefusedError(
    `refused by the egress policy: ${subject} ${ARTICLE[addressClass]} address (${remedy})`,
    addressClass,
  );
}
