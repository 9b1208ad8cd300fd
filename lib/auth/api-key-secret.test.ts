import { describe, expect, it } from "vitest";
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from "./api-key-secret";

describe("API key material", () => {
  it("generates high-entropy keys with a visible prefix and stores only a sha256", () => {
    const keys = Array.from({ length: 50 }, generateApiKey);
    for (const key of keys) {
      expect(key.secret).toMatch(/^strop_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(apiKeyPrefix(key.secret)).toBe(key.prefix);
      expect(key.secretHash).toBe(hashApiKey(key.secret));
      expect(key.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(key.secretHash).not.toContain(key.secret.slice(15));
    }
    expect(new Set(keys.map((k) => k.secret)).size).toBe(50);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(50);
  });

  it("matches only the exact key; rejects malformed ones", () => {
    const key = generateApiKey();
    expect(apiKeyMatches(key.secret, key.secretHash)).toBe(true);
    expect(apiKeyMatches(`${key.secret}x`, key.secretHash)).toBe(false);
    expect(apiKeyMatches(key.secret, "00")).toBe(false);
    for (const bad of ["", "strop_", key.prefix, `${key.secret}=`, key.secret.replace("strop_", "strip_")]) {
      expect(apiKeyPrefix(bad)).toBeNull();
    }
  });
});
