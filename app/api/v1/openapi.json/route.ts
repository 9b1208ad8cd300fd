import * as z from "zod";
import { defineRoute } from "@/lib/http/define-route";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { listOperations } from "@/lib/http/registry";
// biome-ignore lint/suspicious/noImportCycles: the generated list lazily imports every route, this one included; nothing runs at load time.
import { loadAllRoutes } from "../routes.generated";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/openapi.json",
  summary: "This API as an OpenAPI 3.1 document",
  description:
    "The document the API reference page renders: every operation with its parameters, bodies, " +
    "responses, tags and who may call it (`x-strop-auth`, `x-strop-role`). Public and cacheable " +
    "for five minutes; generate a typed client from it (e.g. with openapi-typescript).",
  tags: ["meta"],
  auth: "public",
  response: z.record(z.string(), z.unknown()),
  cacheControl: "public, max-age=300",
  handler: async () => {
    await loadAllRoutes();
    return buildOpenApiDocument(listOperations()) as unknown as Record<string, unknown>;
  },
});
