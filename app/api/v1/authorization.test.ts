// The authorization walker: builds the OpenAPI document from every route file under app/api/v1 and
// calls EVERY operation without credentials, as a viewer, an editor, with keys of each role, and as
// users and keys of another project, checking the status against the operation's declared access.
// Routes added later are covered automatically: the walker finds route files on disk.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRole, type Role } from "@/lib/core/roles";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/http/openapi";
import { listOperations, operationKey } from "@/lib/http/registry";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import { loadRouteHandlers } from "@/lib/http/testing-routes";
import { findRouteFiles, renderManifest } from "../../../scripts/generate-api-routes.mjs";

const API_DIR = import.meta.dirname;

interface Caller {
  name: string;
  as: (w: ApiWorld) => Credential;
  /** The caller's role in project alpha (null: none), and whether it is an API key. */
  alphaRole: Role | null;
  apiKey: boolean;
}

const CALLERS: Caller[] = [
  { name: "no credentials", as: () => null, alphaRole: null, apiKey: false },
  { name: "viewer session", as: (w) => w.users.viewer.credential, alphaRole: "viewer", apiKey: false },
  { name: "editor session", as: (w) => w.users.editor.credential, alphaRole: "editor", apiKey: false },
  { name: "viewer key", as: (w) => ({ bearer: w.keys.alphaViewer }), alphaRole: "viewer", apiKey: true },
  { name: "editor key", as: (w) => ({ bearer: w.keys.alphaEditor }), alphaRole: "editor", apiKey: true },
  { name: "other project's user", as: (w) => w.users.outsider.credential, alphaRole: null, apiKey: false },
  {
    name: "other project's admin key",
    as: (w) => ({ bearer: w.keys.betaAdmin }),
    alphaRole: null,
    apiKey: true,
  },
];

type Expectation = "allowed" | 401 | 403 | 404;

function expected(auth: string, role: string | undefined, caller: Caller): Expectation {
  if (auth === "public" || auth === "optional") return "allowed";
  if (caller.name === "no credentials") return 401;
  if (auth === "user") return caller.apiKey ? 403 : "allowed";
  if (auth === "any") return "allowed";
  if (!caller.alphaRole) return 404;
  return hasRole(caller.alphaRole, role as Role) ? "allowed" : 403;
}

async function snapshot(w: ApiWorld) {
  const db = w.db;
  return {
    users: await db.user.count(),
    projects: await db.project.count(),
    memberships: (await db.membership.findMany({ orderBy: { id: "asc" } })).map(
      (m) => `${m.userId}:${m.projectId}:${m.role}`,
    ),
    keys: (await db.apiKey.findMany({ orderBy: { id: "asc" } })).map(
      (k) => `${k.id}:${k.role}:${k.revokedAt}`,
    ),
    // Refusals of operations that audit them ("access.refused") are counted per call below.
    audit: await db.auditLog.count({ where: { action: { not: "access.refused" } } }),
  };
}

const refusals = (w: ApiWorld) => w.db.auditLog.count({ where: { action: "access.refused" } });

it("app/api/v1/routes.generated.ts lists every route file (run npm run routes:generate)", () => {
  const current = fs.readFileSync(path.join(API_DIR, "routes.generated.ts"), "utf8");
  expect(current).toBe(renderManifest(findRouteFiles(API_DIR)));
});

describe.each(TEST_PROVIDERS)("authorization walker on %s", (provider) => {
  let world: ApiWorld;
  let handlers: Map<string, RouteHandler>;
  let loadProblems: string[];
  let doc: OpenApiDocument;

  beforeAll(async () => {
    world = await createApiWorld(provider);
    ({ handlers, problems: loadProblems } = await loadRouteHandlers());
    doc = buildOpenApiDocument(listOperations());
  });

  afterAll(async () => {
    await world?.close();
  });

  it("every method a route file exports is a defineRoute handler declared at the file's path", () => {
    expect(loadProblems).toEqual([]);
    expect(handlers.size).toBeGreaterThanOrEqual(12);
  });

  it("the document has exactly the operations of the route files", () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => operationKey(m.toUpperCase(), p)),
    );
    expect(documented.sort()).toEqual([...handlers.keys()].sort());
  });

  it("every schema reference in the document resolves", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.filter((ref) => !doc.components.schemas[ref])).toEqual([]);
  });

  it("no project operation lets a viewer write", () => {
    // Reads that take a JSON body, so they are POSTs: they write nothing (the walker's snapshot checks).
    const readsWithBody = ["POST /api/v1/projects/{project}/prompts/{task}/render"];
    const lax = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(
          ([m, op]) => m !== "get" && op["x-strop-auth"] === "project" && op["x-strop-role"] === "viewer",
        )
        .map(([m]) => `${m.toUpperCase()} ${p}`)
        .filter((operation) => !readsWithBody.includes(operation)),
    );
    expect(lax).toEqual([]);
  });

  it("every operation answers every caller as its declared access says, and refusals change nothing", async () => {
    const before = await snapshot(world);
    const failures: string[] = [];
    const alphaSecrets = [
      world.projects.alpha.id,
      world.users.owner.email,
      world.users.admin.email,
      world.users.editor.email,
      world.users.viewer.email,
    ];
    let calls = 0;
    for (const [opPath, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const handler = handlers.get(operationKey(method.toUpperCase(), opPath))!;
        const params = Object.fromEntries(
          op.parameters
            .filter((p) => p.in === "path")
            .map((p) => [p.name, p.name === "project" ? world.projects.alpha.slug : "walker-missing-id"]),
        );
        for (const caller of CALLERS) {
          const want = expected(op["x-strop-auth"], op["x-strop-role"], caller);
          const refusedBefore = await refusals(world);
          const res = await world.call(handler, { as: caller.as(world), params });
          calls++;
          const label = `${method.toUpperCase()} ${opPath} as ${caller.name}: got ${res.status}`;
          // A role refusal of an operation that audits refusals leaves exactly one entry; nothing else does.
          const audited = (await refusals(world)) - refusedBefore;
          const shouldAudit = want === 403 && handler.operation.auditRefusals === true;
          if (audited !== (shouldAudit ? 1 : 0))
            failures.push(
              `${label}: ${audited} "access.refused" audit entries, expected ${shouldAudit ? 1 : 0}`,
            );
          if (res.status >= 500) failures.push(`${label} (server error)`);
          if (res.status >= 400 && !(res.json?.error?.code && res.json?.error?.message)) {
            failures.push(`${label} without the error envelope`);
          }
          if (want === "allowed") {
            const projectHidden =
              res.status === 404 && /project "[^"]*" not found/.test(res.json?.error?.message ?? "");
            if (res.status === 401 || res.status === 403 || projectHidden)
              failures.push(`${label}, expected access`);
          } else if (res.status !== want) {
            failures.push(`${label}, expected ${want}`);
          }
          if (!caller.alphaRole && caller.name !== "no credentials") {
            for (const secret of alphaSecrets) {
              if (res.text.includes(secret)) failures.push(`${label} reveals alpha data (${secret})`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBe(handlers.size * CALLERS.length);
    expect(await snapshot(world)).toEqual(before);
  });
});
