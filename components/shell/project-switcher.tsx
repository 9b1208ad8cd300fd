"use client";

import { useRouter } from "next/navigation";

export function ProjectSwitcher({
  current,
  projects,
}: {
  current: string;
  projects: { slug: string; name: string }[];
}) {
  const router = useRouter();
  return (
    <div>
      <label
        htmlFor="project-switcher"
        className="mb-1 block text-xs font-medium uppercase tracking-wide text-slate-500"
      >
        Project
      </label>
      <select
        id="project-switcher"
        value={current}
        onChange={(event) => router.push(`/projects/${event.target.value}`)}
        className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {projects.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
