// A process doing what the app does with the embedded runner (instrumentation.ts): resume the unfinished
// jobs of every registered kind at start, then keep taking over the ones whose lease expires (the
// poller), until none of the app's jobs is left unfinished; then it exits. The database (DATABASE_URL),
// the providers (OPENAI_COMPATIBLE_BASE_URL, …) and the lease settings (STROP_JOB_LEASE_SECONDS,
// STROP_JOB_POLL_SECONDS) come from the environment. Used by the crash, cancel and two-runner tests as
// the processes that get killed; the built app is covered by the end-to-end tests. Prints one JSON line:
// what the start-up resume did, per kind id.
//   node --import tsx lib/runner/testing/worker.ts
import { closeDb, getDb } from "@/lib/db";
import { takeOverUnfinishedJobs } from "@/lib/runner/engine";
import { leaseSettings } from "@/lib/runner/lease";
import { embeddedRunner } from "@/lib/runner/runner-choice";
import { resumeUnfinishedJobs } from "@/lib/services/jobs";
import { jobKinds } from "@/lib/services/jobs/registry";

const db = await getDb();
const { kinds } = await resumeUnfinishedJobs(db, { runner: "embedded" });
console.log(JSON.stringify(kinds));
const { pollMs } = leaseSettings();

async function unfinishedAppJobs(): Promise<number> {
  let count = 0;
  for (const kind of jobKinds)
    count += (await kind.store.listUnfinished(db)).filter((job) => kind.resumesUnattended(job)).length;
  return count;
}

for (;;) {
  await embeddedRunner().idle();
  if ((await unfinishedAppJobs()) === 0) break;
  await new Promise((resolve) => setTimeout(resolve, pollMs));
  await takeOverUnfinishedJobs(jobKinds, db);
}
await closeDb();
