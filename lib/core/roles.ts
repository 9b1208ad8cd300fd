// Project roles and what each may do. Pure: the HTTP layer, services and pages all decide with these.
//   viewer  reads
//   editor  reads and writes project content (tasks, datasets, settings, runs)
//   admin   also manages members (never owners), API keys, and reads the audit log
//   owner   everything, including owners

export const ROLES = ["viewer", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Roles an API key may carry: a key never acts as an owner. */
export const API_KEY_ROLES = ["viewer", "editor", "admin"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3, owner: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` includes everything `required` may do. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/**
 * Why `actor` may not give `target` the role `next` (null: allowed). `target` is the member's current
 * role (null for a new member), `next` the new role (null for a removal). Admins manage viewers,
 * editors and admins; only owners touch owners. The last-owner rule needs the database: see lib/db.
 */
export function memberChangeRefusal(actor: Role, target: Role | null, next: Role | null): string | null {
  if (!hasRole(actor, "admin")) return "managing members needs the admin or owner role";
  if (actor === "owner") return null;
  if (target === "owner") return "only an owner can change or remove an owner";
  if (next === "owner") return "only an owner can make someone an owner";
  return null;
}

/** Why `actor` may not create an API key with `keyRole` (null: allowed): never above one's own role. */
export function apiKeyRefusal(actor: Role, keyRole: ApiKeyRole): string | null {
  if (!hasRole(actor, "admin")) return "managing API keys needs the admin or owner role";
  if (!hasRole(actor, keyRole)) return `a ${actor} cannot create a key with the ${keyRole} role`;
  return null;
}
