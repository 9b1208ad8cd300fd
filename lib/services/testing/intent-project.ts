// The tests of one describe block on a fresh database with the intent task seeded (run-fixtures.ts):
// kept apart from run-fixtures because that module also seeds the browser tests' data outside vitest.
import { afterAll, beforeAll } from "vitest";
import type { ProjectAccess } from "@/lib/auth/principal";
import { type Db, type DbProvider, getProjectBySlug } from "@/lib/db";
import { useTestDatabase } from "@/lib/db/testing/use-test-database";
import { embeddedRunner } from "@/lib/runner";
import { type SeededTask, seedIntentTask } from "./run-fixtures";

export interface IntentProject {
  readonly db: Db;
  seeded: SeededTask;
  access: ProjectAccess;
}

/**
 * A fresh database of `provider` with the intent task seeded (60 rows) and a user's access to the
 * default project at `role`, for the tests of one describe block; the embedded runner is drained and
 * the database dropped after them. Read the fields inside tests (they are set in beforeAll).
 */
export function useIntentProject(provider: DbProvider, role: ProjectAccess["role"]): IntentProject {
  const database = useTestDatabase(provider, { scope: "all" });
  const fixture = {
    get db() {
      return database.db;
    },
  } as IntentProject;
  beforeAll(async () => {
    fixture.seeded = await seedIntentTask(fixture.db, { rows: 60 });
    const project = await getProjectBySlug(fixture.db, "default");
    if (!project) throw new Error("the default project is missing");
    fixture.access = {
      principal: { kind: "user", userId: "u1", email: "ada@example.com", name: "Ada" },
      project,
      role,
    };
  });
  afterAll(async () => {
    await embeddedRunner().idle();
  });
  return fixture;
}
