// Seeds a fresh data directory for the app-process tests: the first owner, the intent example's task
// and a 100-row dataset version in project "default", and an editor API key. Prints one JSON line
// { project, key, spec } where spec is a run spec over that data using `model` (argv[2]).
//   DATABASE_URL=file:/…/strop.db node --import tsx e2e/support/seed-app-data.ts openai-compatible:sim-default
import { projectAccess } from "@/lib/auth/access";
import { closeDb, getDb } from "@/lib/db";
import { setupFirstUser } from "@/lib/services/accounts";
import { createProjectApiKey } from "@/lib/services/api-keys";
import { intentRunSpec, seedIntentTask } from "@/lib/services/testing/run-fixtures";

const model = process.argv[2];
if (!model) throw new Error("usage: seed-app-data.ts <model id>");
const db = await getDb();
const meta = { ip: "127.0.0.1", userAgent: "e2e seed" };
const owner = await setupFirstUser(
  db,
  { email: "owner@example.com", password: "correct horse battery staple", name: "Owner" },
  meta,
);
const seeded = await seedIntentTask(db, { rows: 100, project: "default" });
const access = await projectAccess(
  db,
  { kind: "user", userId: owner.user.id, email: owner.user.email, name: owner.user.name },
  "default",
);
const { secret } = await createProjectApiKey(
  db,
  access,
  { name: "app-process test", role: "editor" },
  { type: "user", id: owner.user.id, label: owner.user.email, ...meta },
);
console.log(JSON.stringify({ project: "default", key: secret, spec: intentRunSpec(seeded, model) }));
await closeDb();
