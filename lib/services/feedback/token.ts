// Feedback tokens: what serve and generate answers carry so that a browser can send feedback about
// that one answer without an API key. A token names the project, the generation and/or the exposure
// and an expiry, signed with HMAC-SHA256 under a key derived from the instance's session secret
// (lib/auth/secret.ts), so every app instance on the database accepts what another signed. It grants
// exactly one thing: feedback about what it names, until it expires.
import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { authSecret } from "@/lib/auth/secret";
import { AppError } from "@/lib/core/errors";
import type { Db } from "@/lib/db";

export const FEEDBACK_TOKEN_ENV = "STROP_FEEDBACK_TOKEN_SECONDS";
export const DEFAULT_FEEDBACK_TOKEN_SECONDS = 3600;
const PREFIX = "fb1";

const claimsSchema = z.object({
  p: z.string().min(1),
  g: z.string().min(1).optional(),
  x: z.string().min(1).optional(),
  exp: z.number().int(),
});

export interface FeedbackClaims {
  projectId: string;
  generationId?: string;
  exposureId?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export function feedbackTokenTtlSeconds(env: Record<string, string | undefined> = process.env): number {
  const raw = env[FEEDBACK_TOKEN_ENV]?.trim();
  return raw && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : DEFAULT_FEEDBACK_TOKEN_SECONDS;
}

const keys = new WeakMap<Db, Promise<Buffer>>();

/** The signing key: a purpose-bound derivation of the session secret (never the secret itself). */
function signingKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = authSecret(db).then((secret) =>
      createHmac("sha256", secret).update("strop.feedback-token.v1").digest(),
    );
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

const sign = (key: Buffer, payload: string) =>
  createHmac("sha256", key).update(`${PREFIX}.${payload}`).digest();

export async function signFeedbackToken(
  db: Db,
  target: { projectId: string; generationId?: string | null; exposureId?: string | null },
  nowMs = Date.now(),
  ttlSeconds = feedbackTokenTtlSeconds(),
): Promise<string> {
  const claims = {
    p: target.projectId,
    ...(target.generationId ? { g: target.generationId } : {}),
    ...(target.exposureId ? { x: target.exposureId } : {}),
    exp: Math.floor(nowMs / 1000) + ttlSeconds,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${PREFIX}.${payload}.${sign(await signingKey(db), payload).toString("base64url")}`;
}

// A returning subject is served the same exposure again and again: its token is signed once and reused
// while it keeps at least 90% of its lifetime (and for a minute at most), so the hot serving path signs
// about once a minute per subject. Bounded; the oldest entry goes first.
const EXPOSURE_TOKENS = Symbol.for("strop.exposure-feedback-tokens");
const MAX_EXPOSURE_TOKENS = 100_000;
type WithTokens = typeof globalThis & {
  [EXPOSURE_TOKENS]?: Map<string, { token: string; signedAtMs: number }>;
};

/** A feedback token for an exposure (an experiment's subject), reused while still nearly fresh. */
export async function exposureFeedbackToken(
  db: Db,
  target: { projectId: string; exposureId: string },
  nowMs = Date.now(),
  ttlSeconds = feedbackTokenTtlSeconds(),
): Promise<string> {
  const global = globalThis as WithTokens;
  global[EXPOSURE_TOKENS] ??= new Map();
  const tokens = global[EXPOSURE_TOKENS];
  const key = `${target.projectId}\n${target.exposureId}`;
  const reuseMs = Math.min(60_000, ttlSeconds * 100);
  const kept = tokens.get(key);
  if (kept && nowMs >= kept.signedAtMs && nowMs - kept.signedAtMs < reuseMs) return kept.token;
  const token = await signFeedbackToken(db, target, nowMs, ttlSeconds);
  if (!kept && tokens.size >= MAX_EXPOSURE_TOKENS) {
    const oldest = tokens.keys().next();
    if (!oldest.done) tokens.delete(oldest.value);
  }
  tokens.set(key, { token, signedAtMs: nowMs });
  return token;
}

function refused(message: string): AppError {
  return new AppError("feedback_token_invalid", message, 401, {
    issues: [{ in: "body", path: "token", message }],
  });
}

/** The token's claims (401 naming why: malformed, forged or expired). */
export async function verifyFeedbackToken(
  db: Db,
  token: string,
  nowMs = Date.now(),
): Promise<FeedbackClaims> {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) throw refused("the feedback token is malformed");
  const [, payload, signature] = parts as [string, string, string];
  const expected = sign(await signingKey(db), payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw refused("the feedback token's signature does not match: it was not issued by this Strop");
  let claims: z.output<typeof claimsSchema>;
  try {
    claims = claimsSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    throw refused("the feedback token is malformed");
  }
  if (claims.exp * 1000 <= nowMs)
    throw refused("the feedback token has expired: send feedback sooner, or with an API key");
  return { projectId: claims.p, generationId: claims.g, exposureId: claims.x, expiresAt: claims.exp };
}
