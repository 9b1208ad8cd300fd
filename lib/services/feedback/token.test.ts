// Feedback tokens for an exposure are reused while nearly fresh (the serving path then signs about once
// a minute per returning subject), and every reused token still verifies and still expires.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { exposureFeedbackToken, verifyFeedbackToken } from "./token";

// The session secret from the environment: no database is read.
const db = {} as Db;
const saved = process.env.NEXTAUTH_SECRET;
beforeAll(() => {
  process.env.NEXTAUTH_SECRET = "token-test-secret-0123456789-abcdefghijklmnop";
});
afterAll(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_SECRET;
  else process.env.NEXTAUTH_SECRET = saved;
});

describe("exposureFeedbackToken", () => {
  const t0 = 1_800_000_000_000;

  it("reuses a token for a minute at most, then signs a new one", async () => {
    const target = { projectId: "p1", exposureId: "x-reuse" };
    const first = await exposureFeedbackToken(db, target, t0, 3600);
    expect(await exposureFeedbackToken(db, target, t0 + 59_000, 3600)).toBe(first);
    const later = await exposureFeedbackToken(db, target, t0 + 61_000, 3600);
    expect(later).not.toBe(first);
    const claims = await verifyFeedbackToken(db, later, t0 + 61_000);
    expect(claims).toMatchObject({
      projectId: "p1",
      exposureId: "x-reuse",
      expiresAt: (t0 + 61_000) / 1000 + 3600,
    });
  });

  it("keeps at least 90% of a short lifetime, and never crosses exposures or projects", async () => {
    const target = { projectId: "p1", exposureId: "x-short" };
    const first = await exposureFeedbackToken(db, target, t0, 30);
    expect(await exposureFeedbackToken(db, target, t0 + 2_999, 30)).toBe(first);
    expect(await exposureFeedbackToken(db, target, t0 + 3_000, 30)).not.toBe(first);
    const other = await exposureFeedbackToken(db, { projectId: "p1", exposureId: "x-other" }, t0, 30);
    const foreign = await exposureFeedbackToken(db, { projectId: "p2", exposureId: "x-short" }, t0, 30);
    expect(new Set([first, other, foreign]).size).toBe(3);
    expect((await verifyFeedbackToken(db, foreign, t0)).projectId).toBe("p2");
  });

  it("a clock that went back signs afresh", async () => {
    const target = { projectId: "p1", exposureId: "x-clock" };
    const first = await exposureFeedbackToken(db, target, t0, 3600);
    expect(await exposureFeedbackToken(db, target, t0 - 1_000, 3600)).not.toBe(first);
  });
});
