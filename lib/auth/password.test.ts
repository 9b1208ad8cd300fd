import { describe, expect, it } from "vitest";
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "./password";

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe("password hashing", () => {
  it("stores scrypt with its parameters and a random salt; verifies the right password only", async () => {
    const stored = await hashPassword("hunter2 is a bad password");
    const [scheme, N, r, p, salt, hash] = stored.split("$");
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual([
      "scrypt",
      DEFAULT_SCRYPT.N,
      DEFAULT_SCRYPT.r,
      DEFAULT_SCRYPT.p,
    ]);
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16);
    expect(Buffer.from(hash!, "base64url")).toHaveLength(32);
    expect(stored).not.toContain("hunter2");
    expect(await verifyPassword("hunter2 is a bad password", stored)).toBe(true);
    expect(await verifyPassword("hunter2 is a bad passwore", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    expect(await hashPassword("hunter2 is a bad password")).not.toBe(stored);
  });

  it("verifies with the parameters stored in the hash and flags weaker ones for rehash", async () => {
    const cheap = await hashPassword("pässword-ünicode", CHEAP);
    expect(cheap.split("$").slice(1, 4)).toEqual(["1024", "8", "1"]);
    expect(await verifyPassword("pässword-ünicode", cheap)).toBe(true);
    // NFKC: the decomposed spelling of the same text matches.
    expect(await verifyPassword("pa\u0308ssword-u\u0308nicode", cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword("x", DEFAULT_SCRYPT))).toBe(false);
  });

  it("rejects malformed or abusive hashes without throwing", async () => {
    for (const bad of [
      "",
      "plain",
      "scrypt$1024$8$1$c2FsdA$aGFzaA",
      "bcrypt$1$2$3$4$5",
      "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      `scrypt$${2 ** 24}$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    ]) {
      expect(await verifyPassword("x", bad)).toBe(false);
      expect(needsRehash(bad)).toBe(true);
    }
    expect(await verifyAgainstDummy("anything")).toBe(false);
  });
});
