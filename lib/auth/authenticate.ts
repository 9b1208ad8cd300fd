// Authentication of an API request: `Authorization: Bearer <API key>` when present (a bad key is a 401,
// never a fallback to the cookie), otherwise the session cookie. Verified keys are kept for a few seconds
// in memory (api-key-cache.ts), so a busy key costs one hash and a map lookup per request.
import { UnauthorizedError } from "@/lib/core/errors";
import { type Db, findApiKeyForAuth, getProjectById, touchApiKey } from "@/lib/db";
import { apiKeyCache } from "./api-key-cache";
import { apiKeyMatches, apiKeyPrefix, hashApiKey } from "./api-key-secret";
import type { ApiKeyPrincipal, Principal } from "./principal";
import { parseCookieHeader, sessionTokenFromCookies, userFromSessionToken } from "./session";

/** The key's principal, or null when the key is unknown, malformed, revoked or wrong. */
export async function principalFromApiKey(db: Db, secret: string): Promise<ApiKeyPrincipal | null> {
  const prefix = apiKeyPrefix(secret);
  if (!prefix) return null;
  const cache = apiKeyCache();
  const hash = hashApiKey(secret);
  const cached = cache.get(hash);
  if (cached) {
    if (cache.touchDue(cached)) await touchApiKey(db, cached.principal.keyId);
    return cached.principal;
  }
  const epoch = cache.epoch();
  const key = await findApiKeyForAuth(db, prefix);
  if (!key || key.revokedAt || !apiKeyMatches(secret, key.secretHash)) return null;
  await touchApiKey(db, key.id);
  const principal: ApiKeyPrincipal = {
    kind: "api_key",
    keyId: key.id,
    prefix: key.prefix,
    name: key.name,
    projectId: key.projectId,
    role: key.role as ApiKeyPrincipal["role"],
  };
  const project = await getProjectById(db, key.projectId);
  if (project) cache.remember(hash, principal, project, epoch);
  return principal;
}

/** Who sent `request`: null without credentials; a UnauthorizedError for a bad Authorization header. */
export async function authenticateRequest(db: Db, request: Request): Promise<Principal | null> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthorizedError("Malformed Authorization header: expected `Bearer <API key>`.");
    const principal = await principalFromApiKey(db, match[1]!);
    if (!principal) throw new UnauthorizedError("Invalid or revoked API key.");
    return principal;
  }
  const token = sessionTokenFromCookies(parseCookieHeader(request.headers.get("cookie")));
  return token ? userFromSessionToken(db, token) : null;
}
