import Link from "next/link";
import type { ReactNode } from "react";
import { type NavItem, ProjectNav } from "@/components/shell/project-nav";
import { ProjectSwitcher } from "@/components/shell/project-switcher";
import { RoleBadge } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listMyProjects } from "@/lib/services/projects";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ project: string }>;
}) {
  const { project: slug } = await params;
  const { db, user, access } = await requireProjectPage(slug, `/projects/${slug}`);
  const projects = await listMyProjects(db, user);
  const base = `/projects/${access.project.slug}`;
  const items: NavItem[] = [
    { href: base, label: "Overview" },
    { href: `${base}/runs`, label: "Runs" },
    { href: `${base}/batches`, label: "Batches" },
    { href: `${base}/prompts`, label: "Prompts" },
    { href: `${base}/datasets`, label: "Datasets" },
    { href: `${base}/settings`, label: "Settings" },
    ...(hasRole(access.role, "admin") ? [{ href: `${base}/api-keys`, label: "API keys" }] : []),
    ...(hasRole(access.role, "admin") ? [{ href: `${base}/audit`, label: "Audit log" }] : []),
    { href: `${base}/members`, label: "Members" },
  ];
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 md:flex-row">
      <aside className="md:w-56 md:shrink-0">
        <div className="space-y-4 md:sticky md:top-6">
          <ProjectSwitcher current={access.project.slug} projects={projects} />
          <p className="flex items-center gap-2 text-xs text-slate-500">
            {access.project.organization.name} · <RoleBadge role={access.role} />
          </p>
          <ProjectNav items={items} />
          <Link href="/projects" className="block px-3 text-sm text-slate-600 hover:text-slate-900">
            All projects
          </Link>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1">
        {children}
      </main>
    </div>
  );
}
