// Readiness: 200 when this instance can serve (database, migrations, Redis if configured), else 503 with
// the checks that failed. No authentication (a load balancer's probe); it names problems, never
// addresses or credentials. Liveness is /api/health.
import { checkReadiness } from "@/lib/services/readiness";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { ready, checks } = await checkReadiness();
  return Response.json(
    { status: ready ? "ready" : "not ready", checks },
    { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
