// Test support: every route handler of app/api/v1, loaded from the route files on disk (so that routes
// added later are covered by the authorization walker and the fuzzer without being listed anywhere).
import path from "node:path";
import { findRouteFiles } from "../../scripts/generate-api-routes.mjs";
import type { RouteHandler } from "./define-route";
import { operationKey } from "./registry";

export const API_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** "projects/[project]/members/route.ts" → "/api/v1/projects/{project}/members" */
const pathOfFile = (file: string) =>
  `/api/v1/${path.posix.dirname(file)}`.replace(/\/\.$/, "").replace(/\[(\w+)\]/g, "{$1}");

/** Handlers by `operationKey(method, path)`, and what is wrong with route files that break the rules. */
export async function loadRouteHandlers(): Promise<{
  handlers: Map<string, RouteHandler>;
  problems: string[];
}> {
  const handlers = new Map<string, RouteHandler>();
  const problems: string[] = [];
  for (const file of findRouteFiles(API_DIR)) {
    const module = (await import(/* @vite-ignore */ path.join(API_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (!METHODS.includes(name)) continue;
      const handler = value as Partial<RouteHandler>;
      if (typeof value !== "function" || !handler.operation) {
        problems.push(`${file}: ${name} is not made with defineRoute`);
        continue;
      }
      const op = handler.operation;
      if (op.method !== name) problems.push(`${file}: export ${name} declares method ${op.method}`);
      if (op.path !== pathOfFile(file))
        problems.push(`${file}: declares path ${op.path}, file is ${pathOfFile(file)}`);
      handlers.set(operationKey(op.method, op.path), value as RouteHandler);
    }
  }
  return { handlers, problems };
}
