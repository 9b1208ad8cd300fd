// The API reference: a plain server-rendered view of the OpenAPI document (no external assets).
import type { Metadata } from "next";
import Link from "next/link";
import { loadAllRoutes } from "@/app/api/v1/routes.generated";
import { buildOpenApiDocument, type OpenApiOperation } from "@/lib/http/openapi";
import { listOperations } from "@/lib/http/registry";

export const metadata: Metadata = { title: "API reference" };
export const dynamic = "force-dynamic";

const METHOD_COLORS: Record<string, string> = {
  get: "bg-sky-100 text-sky-800",
  post: "bg-emerald-100 text-emerald-800",
  patch: "bg-amber-100 text-amber-800",
  put: "bg-amber-100 text-amber-800",
  delete: "bg-red-100 text-red-800",
};

function access(op: OpenApiOperation): string {
  if (op["x-strop-auth"] === "public") return "public";
  if (op["x-strop-auth"] === "user") return "signed-in user (not API keys)";
  if (op["x-strop-auth"] === "any") return "signed-in user or API key";
  return `${op["x-strop-role"]} role in the project (user or API key)`;
}

function Json({ value }: { value: unknown }) {
  return (
    <pre className="relative overflow-x-auto rounded bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

const anchor = (id: string) => `op-${id}`;

export default async function ApiReferencePage() {
  await loadAllRoutes();
  const doc = buildOpenApiDocument(listOperations());
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Strop API reference</h1>
      <p className="mt-2 max-w-3xl text-sm text-slate-600">{doc.info.description}</p>
      <p className="mt-2 text-sm">
        Machine-readable:{" "}
        <a href="/api/v1/openapi.json" className="text-indigo-700 hover:underline">
          /api/v1/openapi.json
        </a>{" "}
        (OpenAPI {doc.openapi}).{" "}
        <Link href="/projects" className="text-indigo-700 hover:underline">
          Back to the app
        </Link>
      </p>

      <nav aria-label="Operations" className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <ul className="space-y-1 text-sm">
          {operations.map(({ path, method, op }) => (
            <li key={op.operationId}>
              <a href={`#${anchor(op.operationId)}`} className="hover:underline">
                <span
                  className={`mr-2 inline-block w-16 rounded px-1 text-center font-mono text-xs uppercase ${METHOD_COLORS[method] ?? ""}`}
                >
                  {method}
                </span>
                <code>{path}</code> — {op.summary}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      {operations.map(({ path, method, op }) => (
        <section
          key={op.operationId}
          id={anchor(op.operationId)}
          aria-labelledby={`${anchor(op.operationId)}-h`}
          className="mt-8 rounded-lg border border-slate-200 bg-white p-5"
        >
          <h2
            id={`${anchor(op.operationId)}-h`}
            className="flex flex-wrap items-center gap-2 text-base font-semibold"
          >
            <span
              className={`rounded px-2 py-0.5 font-mono text-xs uppercase ${METHOD_COLORS[method] ?? ""}`}
            >
              {method}
            </span>
            <code>{path}</code>
          </h2>
          <p className="mt-2 text-sm">{op.summary}</p>
          {op.description ? <p className="mt-1 text-sm text-slate-600">{op.description}</p> : null}
          <p className="mt-2 text-sm">
            <span className="font-medium">Access:</span> {access(op)} ·{" "}
            <span className="font-medium">Operation id:</span> <code>{op.operationId}</code>
          </p>
          {op.parameters.length ? (
            <table className="mt-4 w-full text-left text-sm">
              <caption className="mb-1 text-left font-medium">Parameters</caption>
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="pr-4">
                    Name
                  </th>
                  <th scope="col" className="pr-4">
                    In
                  </th>
                  <th scope="col" className="pr-4">
                    Required
                  </th>
                  <th scope="col" className="pr-4">
                    Schema
                  </th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`} className="align-top">
                    <td className="pr-4 font-mono">{p.name}</td>
                    <td className="pr-4">{p.in}</td>
                    <td className="pr-4">{p.required ? "yes" : "no"}</td>
                    <td className="pr-4 font-mono text-xs">{JSON.stringify(p.schema)}</td>
                    <td className="text-slate-600">{p.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {op.requestBody ? (
            <div className="mt-4">
              <h3 className="mb-1 text-sm font-medium">
                Request body {op.requestBody.required ? "(required)" : "(optional)"}
              </h3>
              {op.requestBody.content["application/json"] ? (
                <Json value={op.requestBody.content["application/json"].schema} />
              ) : (
                <p className="text-sm text-slate-600">
                  {op.requestBody.description} Media types: {Object.keys(op.requestBody.content).join(", ")}.
                </p>
              )}
            </div>
          ) : null}
          <div className="mt-4">
            <h3 className="mb-1 text-sm font-medium">Responses</h3>
            <ul className="space-y-2 text-sm">
              {Object.entries(op.responses).map(([status, response]) => (
                <li key={status}>
                  <span className="font-mono">{status}</span> — {response.description}
                  {response.content?.["application/json"] && !status.match(/^[45]|default/) ? (
                    <Json value={response.content["application/json"].schema} />
                  ) : response.content && !status.match(/^[45]|default/) ? (
                    <span className="text-slate-600"> ({Object.keys(response.content).join(", ")})</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        </section>
      ))}

      <section aria-labelledby="schemas-h" className="mt-10">
        <h2 id="schemas-h" className="text-xl font-semibold">
          Schemas
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="mt-4">
            <h3 className="mb-1 font-mono text-sm font-medium">{name}</h3>
            <Json value={schema} />
          </div>
        ))}
      </section>
    </main>
  );
}
