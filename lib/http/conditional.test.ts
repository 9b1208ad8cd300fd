import { describe, expect, it } from "vitest";
import { ifNoneMatchHits } from "./conditional";

describe("ifNoneMatchHits", () => {
  const etag = '"abc123"';
  it("matches the same tag, weakly, in a list, or *", () => {
    expect(ifNoneMatchHits('"abc123"', etag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc123"', etag)).toBe(true);
    expect(ifNoneMatchHits('"old", "abc123"', etag)).toBe(true);
    expect(ifNoneMatchHits("*", etag)).toBe(true);
  });
  it("does not match another tag, an unquoted one, an empty header or none", () => {
    expect(ifNoneMatchHits('"abc12"', etag)).toBe(false);
    expect(ifNoneMatchHits("abc123", etag)).toBe(false);
    expect(ifNoneMatchHits("", etag)).toBe(false);
    expect(ifNoneMatchHits(" , ", etag)).toBe(false);
    expect(ifNoneMatchHits(null, etag)).toBe(false);
  });
});
