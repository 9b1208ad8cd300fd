// Every Inngest function the app serves (app/api/inngest/route.ts).
import { batchRun } from "./batch-run";
import { optimizeRun } from "./optimize-run";

export const functions = [optimizeRun, batchRun];
