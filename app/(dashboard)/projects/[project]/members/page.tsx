import type { Metadata } from "next";
import { InviteMemberForm } from "@/components/members/invite-member-form";
import { MemberActions } from "@/components/members/member-actions";
import { PageHeader, RoleBadge, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole, memberChangeRefusal, ROLES } from "@/lib/core/roles";
import { listProjectMembers } from "@/lib/services/members";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/accounts";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/members`);
  const members = await listProjectMembers(db, access);
  const manages = hasRole(access.role, "admin");
  /** Roles the viewer may give (admins: all but owner). */
  const owners = members.filter((m) => m.role === "owner").length;
  const assignable = ROLES.filter((r) => memberChangeRefusal(access.role, null, r) === null).reverse();
  return (
    <>
      <PageHeader
        title="Members"
        description="Viewers read; editors also change content; admins also manage members and API keys; owners everything."
      />
      <Section title={`People (${members.length})`}>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4">
                  Member
                </th>
                <th scope="col" className="py-2 pr-4">
                  Role
                </th>
                <th scope="col" className="py-2 pr-4">
                  Since
                </th>
                {manages ? (
                  <th scope="col" className="py-2 text-right">
                    Actions
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.map((m) => {
                const editable = manages && memberChangeRefusal(access.role, m.role, null) === null;
                const lastOwner = m.role === "owner" && owners === 1;
                return (
                  <tr key={m.userId}>
                    <td className="py-2 pr-4">
                      <div className="font-medium">{m.name || m.email}</div>
                      {m.name ? <div className="text-xs text-slate-500">{m.email}</div> : null}
                    </td>
                    <td className="py-2 pr-4">
                      <RoleBadge role={m.role} />
                    </td>
                    <td className="py-2 pr-4 text-slate-600">
                      <Time value={m.createdAt} />
                    </td>
                    {manages ? (
                      <td className="py-2">
                        {lastOwner ? (
                          <p className="text-right text-xs text-slate-500">
                            The last owner stays: add another first
                          </p>
                        ) : editable ? (
                          <MemberActions
                            project={slug}
                            userId={m.userId}
                            email={m.email}
                            role={m.role}
                            roles={assignable}
                          />
                        ) : (
                          <p className="text-right text-xs text-slate-500">Only owners manage owners</p>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Section>
      {manages ? (
        <Section title="Add a member">
          <InviteMemberForm project={slug} roles={assignable} minPasswordLength={PASSWORD_MIN_LENGTH} />
        </Section>
      ) : null}
    </>
  );
}
