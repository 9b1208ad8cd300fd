// Liveness: the process is up and answers HTTP. No authentication, no database, nothing that can be
// slow — a load balancer's probe, and the bare handler `npm run bench` compares the serving API with.
// (Readiness, with the database, is another question; this route never asks it.)
export const dynamic = "force-dynamic";

const BODY = JSON.stringify({ status: "ok" });

export function GET(): Response {
  return new Response(BODY, {
    status: 200,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
