import type { Metadata } from "next";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { RevokeApiKeyButton } from "@/components/api-keys/revoke-api-key-button";
import { AccessDenied, EmptyState, PageHeader, RoleBadge, Section, Time } from "@/components/ui/page";
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
  const keys = await listProjectApiKeys(db, access);
  const roles = API_KEY_ROLES.filter((r) => hasRole(access.role, r));
  return (
    <>
      {header}
      <Section title="New key">
        <CreateApiKeyForm project={slug} roles={[...roles]} />
      </Section>
      <Section title="Keys">
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet" />
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4">
                    Name
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Key
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Role
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Created
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    Last used
                  </th>
                  <th scope="col" className="py-2 text-right">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((k) => (
                  <tr key={k.id} className={k.revokedAt ? "text-slate-400" : ""}>
                    <td className="py-2 pr-4 font-medium">{k.name}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{k.prefix}_…</td>
                    <td className="py-2 pr-4">
                      <RoleBadge role={k.role} />
                    </td>
                    <td className="py-2 pr-4">
                      <Time value={k.createdAt} />
                      {k.createdBy ? (
                        <div className="text-xs text-slate-500">by {k.createdBy.email}</div>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4">
                      <Time value={k.lastUsedAt} />
                    </td>
                    <td className="py-2">
                      {k.revokedAt ? (
                        <p className="text-right text-xs">
                          Revoked <Time value={k.revokedAt} />
                        </p>
                      ) : (
                        <RevokeApiKeyButton project={slug} keyId={k.id} name={k.name} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}
