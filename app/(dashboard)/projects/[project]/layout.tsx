import Link from "next/link";
import type { ReactNode } from "react";
import { type NavItem, ProjectNav } from "@/components/shell/project-nav";
import { ProjectSidebar } from "@/components/shell/project-sidebar";
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
  // The switcher lists active projects, and this one while it is archived (it must show where you are).
  const projects = (await listMyProjects(db, user, { includeArchived: true })).filter(
    (p) => p.archivedAt === null || p.slug === access.project.slug,
  );
  const base = `/projects/${access.project.slug}`;
  const items: NavItem[] = [
    { href: base, label: "Overview" },
    { href: `${base}/runs`, label: "Runs" },
    { href: `${base}/batches`, label: "Batches" },
    { href: `${base}/prompts`, label: "Prompts" },
    { href: `${base}/playground`, label: "Playground" },
    { href: `${base}/experiments`, label: "Experiments" },
    { href: `${base}/templates`, label: "Templates" },
    { href: `${base}/datasets`, label: "Datasets" },
    { href: `${base}/settings`, label: "Settings" },
    ...(hasRole(access.role, "admin") ? [{ href: `${base}/api-keys`, label: "API keys" }] : []),
    ...(hasRole(access.role, "admin") ? [{ href: `${base}/audit`, label: "Audit log" }] : []),
    ...(hasRole(access.role, "admin") ? [{ href: `${base}/monitoring`, label: "Monitoring" }] : []),
    { href: `${base}/members`, label: "Members" },
  ];
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-4 md:flex-row md:gap-6 md:py-6">
      <ProjectSidebar projectName={access.project.name}>
        <ProjectSwitcher current={access.project.slug} projects={projects} />
        <p className="flex items-center gap-2 text-xs text-slate-500">
          {access.project.organization.name} · <RoleBadge role={access.role} />
        </p>
        <ProjectNav items={items} />
        <Link href="/projects" className="block px-3 text-sm text-slate-600 hover:text-slate-900">
          All projects
        </Link>
      </ProjectSidebar>
      <main id="main" className="min-w-0 flex-1">
        {children}
      </main>
    </div>
  );
}
