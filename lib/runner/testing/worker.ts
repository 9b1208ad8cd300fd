// A process doing what the app does when it starts (instrumentation.ts): resume the unfinished runs
// with the embedded runner. It exits once they are done. The database (DATABASE_URL) and the providers
// (OPENAI_COMPATIBLE_BASE_URL, …) come from the environment. Used by the crash and cancel tests as the
// process that gets killed; the built app is covered by the end-to-end tests.
//   node --import tsx lib/runner/testing/worker.ts
import { closeDb } from "@/lib/db";
import { embeddedRunner } from "@/lib/runner";
import { resumeUnfinishedRuns } from "@/lib/services/runs";

const result = await resumeUnfinishedRuns(undefined, { runner: "embedded" });
console.log(JSON.stringify(result));
await embeddedRunner().idle();
await closeDb();
