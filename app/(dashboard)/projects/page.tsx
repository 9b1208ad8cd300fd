import type { Metadata } from "next";
import Link from "next/link";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { EmptyState, PageHeader, RoleBadge, Section } from "@/components/ui/page";
import { requireUser } from "@/lib/auth/pages";
import { listMyOrganizations, listMyProjects } from "@/lib/services/projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage({
  searchParams,
}: {
  searchParams: Promise<{ archived?: string }>;
}) {
  const showArchived = (await searchParams).archived === "1";
  const { db, user } = await requireUser(showArchived ? "/projects?archived=1" : "/projects");
  const [projects, organizations] = await Promise.all([
    listMyProjects(db, user, { includeArchived: showArchived }),
    listMyOrganizations(db, user),
  ]);
  return (
    <main id="main" className="mx-auto max-w-4xl px-4 py-8">
      <PageHeader
        title="Projects"
        description="Each project has its own prompts, datasets, runs, members and API keys."
      />
      <Section title="Your projects">
        <p className="mb-3 text-sm">
          <Link
            href={showArchived ? "/projects" : "/projects?archived=1"}
            className="text-indigo-700 hover:underline"
          >
            {showArchived ? "Hide archived projects" : "Show archived projects"}
          </Link>
        </p>
        {projects.length === 0 ? (
          <EmptyState title={showArchived ? "You are not a member of any project yet" : "No active projects"}>
            Create one below, or ask an owner to invite you
            {showArchived ? "." : "; archived projects are listed with “Show archived projects”."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200">
            {projects.map((p) => (
              <li key={p.id} className="flex items-center justify-between py-3">
                <div>
                  <Link href={`/projects/${p.slug}`} className="font-medium text-indigo-700 hover:underline">
                    {p.name}
                  </Link>
                  <p className="text-xs text-slate-500">
                    {p.organization.name} · <code>{p.slug}</code>
                    {p.archivedAt ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900">
                        Archived
                      </span>
                    ) : null}
                  </p>
                </div>
                <RoleBadge role={p.role} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="New project">
        <CreateProjectForm organizations={organizations} />
      </Section>
    </main>
  );
}
