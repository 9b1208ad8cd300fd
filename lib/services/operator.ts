// The CLI's way into the services: the machine's operator (lib/auth/principal.ts OPERATOR) gets owner
// access to a project — the "default" one is created on first use, as `strop optimize` always did — or to
// the project a stored run or batch belongs to, and then calls the same use cases as the API, with
// their checks and their audit entries (actor: system "cli").
import { operatorProjectAccess } from "@/lib/auth/access";
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { type Db, ensureProject, getBatchRecord, getProjectById, getRunProjectId } from "@/lib/db";

/** Owner access to the project with this slug, created (in the default organization) when missing. */
export async function operatorAccess(db: Db, slug = "default"): Promise<ProjectAccess> {
  const project = await ensureProject(db, slug);
  return operatorProjectAccess(db, project.slug);
}

async function accessToProject(db: Db, projectId: string | null, what: string): Promise<ProjectAccess> {
  const project = projectId ? await getProjectById(db, projectId) : null;
  if (!project) throw new NotFoundError(`no ${what}`);
  return operatorProjectAccess(db, project.slug);
}

/** Owner access to the project run `runId` belongs to (`strop runs show|resume|cancel <id>`). */
export async function operatorAccessToRun(db: Db, runId: string): Promise<ProjectAccess> {
  return accessToProject(db, await getRunProjectId(db, runId), `run with id "${runId}"`);
}

/** Owner access to the project batch `batchId` belongs to (`strop batch --resume <id>`). */
export async function operatorAccessToBatch(db: Db, batchId: string): Promise<ProjectAccess> {
  const batch = await getBatchRecord(db, batchId);
  return accessToProject(db, batch?.projectId ?? null, `batch with id "${batchId}"`);
}
