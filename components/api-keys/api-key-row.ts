import type { ApiKeyRole } from "@/lib/core/roles";

/** A key as the API keys page lists it (dates as ISO strings: the page and the API's JSON agree). */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: { id: string; email: string } | null;
}
