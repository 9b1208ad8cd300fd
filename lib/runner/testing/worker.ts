// A process doing what the app does when it starts (instrumentation.ts): resume the unfinished runs and
// batches with the embedded runner. It exits once they are done. The database (DATABASE_URL) and the
// providers (OPENAI_COMPATIBLE_BASE_URL, …) come from the environment. Used by the crash and cancel tests
// as the process that gets killed; the built app is covered by the end-to-end tests. Prints one JSON line
// for the runs it resumed, then one for the batches.
//   node --import tsx lib/runner/testing/worker.ts
import { closeDb } from "@/lib/db";
import { embeddedRunner } from "@/lib/runner";
import { resumeUnfinishedBatches } from "@/lib/services/batch-execution";
import { resumeUnfinishedRuns } from "@/lib/services/runs";

const result = await resumeUnfinishedRuns(undefined, { runner: "embedded" });
console.log(JSON.stringify(result));
const batches = await resumeUnfinishedBatches(undefined, { runner: "embedded" });
console.log(JSON.stringify(batches));
await embeddedRunner().idle();
await closeDb();
