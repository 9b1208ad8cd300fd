import type { Db } from "./client";
import { retryOnUniqueViolation } from "./util";

export interface ProjectRef {
  id: string;
  slug: string;
}

/** The project with this slug, created on first use ("default" is named "Default"). */
export function ensureProject(db: Db, slug = "default"): Promise<ProjectRef> {
  return retryOnUniqueViolation(async () => {
    const existing = await db.project.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (existing) return existing;
    return db.project.upsert({
      where: { slug },
      create: { slug, name: slug === "default" ? "Default" : slug },
      update: {},
      select: { id: true, slug: true },
    });
  });
}
