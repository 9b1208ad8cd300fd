// The OpenAPI document exactly as GET /api/v1/openapi.json serves it: every route module loaded, the
// registered operations built into a document, and the JSON a client receives.
import { loadAllRoutes } from "@/app/api/v1/routes.generated";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { listOperations } from "@/lib/http/registry";

export async function servedOpenApiJson(): Promise<string> {
  await loadAllRoutes();
  return JSON.stringify(buildOpenApiDocument(listOperations()), null, 2);
}
