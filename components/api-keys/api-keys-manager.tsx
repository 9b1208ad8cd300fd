"use client";

// The API keys page's form and list together: a key just created (or revoked) shows in the list in the
// same render as the confirmation, from the API's answer — not a moment later, when the page's refresh
// arrives. The refresh then brings the server's list, which wins for every key it holds.
import { useState } from "react";
import { EmptyState, RoleBadge, Section, Time } from "@/components/ui/page";
import type { ApiKeyRow } from "./api-key-row";
import { CreateApiKeyForm } from "./create-api-key-form";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export function ApiKeysManager({
  project,
  roles,
  keys,
}: {
  project: string;
  roles: string[];
  keys: ApiKeyRow[];
}) {
  const [created, setCreated] = useState<ApiKeyRow[]>([]);
  const [revokedAt, setRevokedAt] = useState<Record<string, string>>({});
  const listed = new Set(keys.map((k) => k.id));
  const rows = [...created.filter((k) => !listed.has(k.id)), ...keys].map((k) =>
    !k.revokedAt && revokedAt[k.id] ? { ...k, revokedAt: revokedAt[k.id] ?? null } : k,
  );

  return (
    <>
      <Section title="New key">
        <CreateApiKeyForm
          project={project}
          roles={roles}
          onCreated={(key) => setCreated((c) => [key, ...c])}
        />
      </Section>
      <Section title="Keys">
        {rows.length === 0 ? (
          <EmptyState title="No API keys yet">
            Create one above for each program that calls Strop: it acts in this project with its role.
          </EmptyState>
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
                {rows.map((k) => (
                  <tr key={k.id} className={k.revokedAt ? "text-slate-500" : ""}>
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
                        <RevokeApiKeyButton
                          project={project}
                          keyId={k.id}
                          name={k.name}
                          onRevoked={(at) => setRevokedAt((r) => ({ ...r, [k.id]: at }))}
                        />
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
