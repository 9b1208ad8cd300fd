// Every Inngest function the app serves (app/api/inngest/route.ts).
import { optimizeRun } from "./optimize-run";

export const functions = [optimizeRun];
