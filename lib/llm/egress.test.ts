// The egress policy as a pure function: address classes, what each setting allows, what no setting
// allows, the refusal messages and the setting's parser.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AddressClass,
  ALWAYS_REFUSED,
  checkEgress,
  classifyAddress,
  EgressSettingError,
  egressPolicyFromEnv,
  PUBLIC_ONLY,
  parseEgressAllow,
} from "./egress";

describe("classifyAddress", () => {
  it.each<[string, AddressClass]>([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.10", "private"],
    ["100.64.0.1", "private"],
    ["100.127.255.255", "private"],
    ["100.128.0.1", "public"],
    ["fc00::1", "private"],
    ["fd00::1", "private"],
    ["fec0::1", "private"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["168.63.129.16", "metadata"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["8.8.8.8", "public"],
    ["2606:4700:4700::1111", "public"],
    // IPv6 forms reaching an IPv4 address are classified by that address.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["::ffff:8.8.8.8", "public"],
    ["::ffff:0:127.0.0.1", "loopback"],
    ["::127.0.0.1", "loopback"],
    ["::a9fe:a9fe", "metadata"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::169.254.169.254", "metadata"],
    ["64:ff9b::8.8.8.8", "public"],
    ["64:ff9b:1::a00:1", "private"],
  ])("%s is %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it("classifies every IPv4 address and its IPv4-mapped and NAT64 forms alike", () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        const expected = classifyAddress(v4);
        expect(classifyAddress(`::ffff:${v4}`)).toBe(expected);
        expect(classifyAddress(`::ffff:${hex}`)).toBe(expected);
        expect(classifyAddress(`64:ff9b::${hex}`)).toBe(expected);
      }),
    );
  });

  it("throws on something that is not an IP address", () => {
    expect(() => classifyAddress("localhost")).toThrow();
  });
});

const target = (host: string, address = host, port = 80) => ({ host, port, address });
const allowed = (setting: string, host: string, address = host, port = 80) =>
  checkEgress(parseEgressAllow(setting), target(host, address, port)) === undefined;

describe("checkEgress", () => {
  it("allows public addresses and nothing else by default", () => {
    expect(checkEgress(PUBLIC_ONLY, target("8.8.8.8"))).toBeUndefined();
    expect(checkEgress(PUBLIC_ONLY, target("api.openai.com", "162.159.140.245", 443))).toBeUndefined();
    for (const address of ["127.0.0.1", "::1", "10.0.0.1", "fd00::1", "169.254.169.254", "0.0.0.0"]) {
      expect(checkEgress(PUBLIC_ONLY, target(address)), address).toBeDefined();
    }
  });

  it.each([
    // setting, host, resolved address, port, allowed
    ["loopback", "127.0.0.1", "127.0.0.1", 80, true],
    ["loopback", "::ffff:7f00:1", "::ffff:7f00:1", 80, true],
    ["loopback", "localhost", "::1", 11434, true],
    ["loopback", "10.0.0.1", "10.0.0.1", 80, false],
    ["private", "10.0.0.1", "10.0.0.1", 80, true],
    ["private", "fd00::1", "fd00::1", 80, true],
    ["private", "127.0.0.1", "127.0.0.1", 80, false],
    ["127.0.0.1:8080", "127.0.0.1", "127.0.0.1", 8080, true],
    ["127.0.0.1:8080", "127.0.0.1", "127.0.0.1", 8081, false],
    ["127.0.0.1:8080", "127.0.0.2", "127.0.0.2", 8080, false],
    ["127.0.0.1", "::ffff:127.0.0.1", "::ffff:127.0.0.1", 9, true],
    ["[::1]:8080", "::1", "::1", 8080, true],
    ["::1", "::1", "::1", 1, true],
    ["10.1.0.0/16", "10.1.2.3", "10.1.2.3", 80, true],
    ["10.1.0.0/16", "10.2.0.1", "10.2.0.1", 80, false],
    ["fd00::/8", "fd12::1", "fd12::1", 80, true],
    ["ollama:11434", "ollama", "172.18.0.5", 11434, true],
    ["ollama:11434", "OLLAMA.", "172.18.0.5", 11434, true],
    ["ollama:11434", "ollama", "172.18.0.5", 8080, false],
    ["ollama:11434", "other", "172.18.0.5", 11434, false],
  ] as const)("%s: %s (%s) port %d → %s", (setting, host, address, port, expected) => {
    expect(allowed(setting, host, address, port)).toBe(expected);
  });

  it("never allows an always-refused class, whatever the setting", () => {
    const everything = "loopback,private,0.0.0.0/0,::/0,metadata.internal:80";
    for (const address of ["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.0.1", "fe80::1"]) {
      expect(allowed(everything, address), address).toBe(false);
      expect(allowed(everything, "metadata.internal", address), address).toBe(false);
    }
    for (const address of ["0.0.0.0", "::", "::ffff:0.0.0.0", "224.0.0.1", "ff02::1", "255.255.255.255"]) {
      expect(allowed(everything, address), address).toBe(false);
    }
    // …while the same setting does open loopback and private ranges.
    expect(allowed(everything, "127.0.0.1")).toBe(true);
    expect(allowed(everything, "10.9.8.7")).toBe(true);
  });

  it("names the address class and the setting to change; for a name, never the address it resolved to", () => {
    expect(checkEgress(PUBLIC_ONLY, target("127.0.0.1"))?.message).toBe(
      "refused by the egress policy: 127.0.0.1 is a loopback address (set STROP_EGRESS_ALLOW=loopback to allow it)",
    );
    expect(checkEgress(PUBLIC_ONLY, target("fd00::1"))?.message).toBe(
      "refused by the egress policy: fd00::1 is a private address (set STROP_EGRESS_ALLOW=private to allow it)",
    );
    expect(checkEgress(parseEgressAllow("loopback,private"), target("169.254.169.254"))?.message).toBe(
      "refused by the egress policy: 169.254.169.254 is a cloud metadata address (never allowed)",
    );
    const named = checkEgress(PUBLIC_ONLY, target("db.internal", "10.20.30.40", 5432));
    expect(named?.message).toBe(
      "refused by the egress policy: db.internal resolves to a private address (set STROP_EGRESS_ALLOW=private to allow it)",
    );
    expect(named?.message).not.toContain("10.20.30.40");
    expect(named?.addressClass).toBe("private");
  });

  it("every class is either public, allowable or always refused", () => {
    const allowable = new Set(["loopback", "private"]);
    for (const c of ALWAYS_REFUSED) expect(allowable.has(c)).toBe(false);
  });
});

describe("the STROP_EGRESS_ALLOW setting", () => {
  it("is public-only when unset or empty", () => {
    expect(egressPolicyFromEnv({})).toEqual(PUBLIC_ONLY);
    expect(egressPolicyFromEnv({ STROP_EGRESS_ALLOW: " , " })).toEqual(PUBLIC_ONLY);
  });

  it("takes comma-separated entries, case- and space-insensitive, with a canonical key", () => {
    const policy = egressPolicyFromEnv({ STROP_EGRESS_ALLOW: " Private, LOOPBACK ,ollama:11434,10.0.0.0/8" });
    expect(policy.key).toBe("10.0.0.0/8,loopback,ollama:11434,private");
    expect(parseEgressAllow("loopback,private").key).toBe(parseEgressAllow("private, loopback").key);
  });

  it.each([
    ["loopbak", /"loopbak": a host name needs its port/],
    ["169.254.169.254", /"169.254.169.254": a cloud metadata address can never be allowed/],
    ["fe80::1", /"fe80::1": a link-local address can never be allowed/],
    ["[::]:80", /"\[::\]:80": an unspecified address can never be allowed/],
    ["169.254.0.0/16", /"169.254.0.0\/16": a link-local range can never be allowed/],
    ["224.0.0.0/8", /a multicast range can never be allowed/],
    ["127.0.0.1:99999", /"127.0.0.1:99999": "99999" is not a port/],
    ["ollama:", /"ollama:": "" is not a port/],
    ["10.0.0.0/33", /"10.0.0.0\/33": not a CIDR range/],
    ["10/8", /"10\/8": write an IPv4 range as four decimal numbers and a length/],
    ["0x7f.0.0.1", /"0x7f.0.0.1": write an IPv4 address as four decimal numbers/],
    ["2130706433:80", /write an IPv4 address as four decimal numbers/],
    ["http://ollama:11434", /"http:\/\/ollama:11434"/],
    ["bad host:1", /"bad host:1": not an address, a CIDR range or host:port/],
  ])("refuses %s, naming it", (entry, message) => {
    expect(() => parseEgressAllow(`loopback,${entry}`)).toThrow(EgressSettingError);
    expect(() => parseEgressAllow(`loopback,${entry}`)).toThrow(message);
    expect(() => parseEgressAllow(entry)).toThrow(/^STROP_EGRESS_ALLOW: invalid entry/);
  });
});
