// The Inngest client the app serves its functions with (app/api/inngest/route.ts). It lives in
// lib/runner/inngest-transport.ts, next to the event sender the engine uses.
export { inngest } from "@/lib/runner/inngest-transport";
