import type { Metadata } from "next";
import type { ApiKeyRow } from "@/components/api-keys/api-key-row";
import { ApiKeysManager } from "@/components/api-keys/api-keys-manager";
import { AccessDenied, PageHeader } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { API_KEY_ROLES, hasRole } from "@/lib/core/roles";
import { listProjectApiKeys } from "@/lib/services/api-keys";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/api-keys`);
  const header = (
    <PageHeader
      title="API keys"
      description="Keys act in this project only, with their role. The secret is shown once at creation."
    />
  );
  if (!hasRole(access.role, "admin"))
    return (
      <>
        {header}
        <AccessDenied required="admin" role={access.role} />
      </>
    );
  const keys: ApiKeyRow[] = (await listProjectApiKeys(db, access)).map((k) => ({
    ...k,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
  const roles = API_KEY_ROLES.filter((r) => hasRole(access.role, r));
  return (
    <>
      {header}
      <ApiKeysManager project={slug} roles={[...roles]} keys={keys} />
    </>
  );
}
