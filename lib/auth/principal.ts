// Who is calling: a signed-in user or a project API key, and what they may do in a project.
import type { ApiKeyRole, Role } from "@/lib/core/roles";
import type { AuditActor, ProjectRecord } from "@/lib/db";
import { clientAddress } from "./client-address";

export interface UserPrincipal {
  kind: "user";
  userId: string;
  email: string;
  name: string;
}

export interface ApiKeyPrincipal {
  kind: "api_key";
  keyId: string;
  prefix: string;
  name: string;
  /** A key acts in its own project only. */
  projectId: string;
  role: ApiKeyRole;
}

/** Who can call the API: a signed-in user or a project API key. */
export type Principal = UserPrincipal | ApiKeyPrincipal;

/**
 * The machine's operator: whoever runs `strop` on it, with the database's own access — the CLI's
 * principal (never a request's). It acts as an owner of every project, through the same services (and
 * their audit entries, as the system actor "cli") as the API.
 */
export interface OperatorPrincipal {
  kind: "operator";
  label: "cli";
}

export const OPERATOR: OperatorPrincipal = { kind: "operator", label: "cli" };

/** A principal's access to one project: the project and the role they act with there. */
export interface ProjectAccess {
  principal: Principal | OperatorPrincipal;
  project: ProjectRecord;
  role: Role;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export const NO_META: RequestMeta = { ip: null, userAgent: null };

export function actorOf(
  principal: Principal | OperatorPrincipal | null,
  meta: RequestMeta = NO_META,
): AuditActor {
  if (!principal) return { type: "anonymous", id: null, label: "anonymous", ...meta };
  if (principal.kind === "operator") return { type: "system", id: null, label: principal.label, ...meta };
  if (principal.kind === "user")
    return { type: "user", id: principal.userId, label: principal.email, ...meta };
  return { type: "api_key", id: principal.keyId, label: principal.prefix, ...meta };
}

/** Client address (client-address.ts: the stamped peer, or X-Forwarded-For behind trusted proxies) and agent. */
export function requestMetaFromHeaders(get: (name: string) => string | null | undefined): RequestMeta {
  return { ip: clientAddress(get), userAgent: get("user-agent") ?? null };
}
