// The API reference: the OpenAPI document that /api/v1/openapi.json serves, rendered by Scalar (a
// maintained OpenAPI renderer: navigation by tag, search, rendered Markdown descriptions). Nothing is
// loaded from elsewhere: no fonts, no telemetry, no hosted API client (see scalar-reference.tsx).
import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "./api-reference";

export const metadata: Metadata = { title: "API reference" };

export default function ApiReferencePage() {
  return (
    <div className="min-h-screen bg-white">
      <nav
        aria-label="API reference"
        className="flex flex-wrap items-center gap-x-5 gap-y-1 border-b border-slate-200 px-4 py-2 text-sm"
      >
        <Link href="/projects" className="font-medium text-indigo-700 hover:underline">
          ← Back to the app
        </Link>
        <a href="/api/v1/openapi.json" className="text-indigo-700 hover:underline">
          OpenAPI document (JSON)
        </a>
        <span className="text-slate-600">
          Authenticate with a project API key: <code>Authorization: Bearer strop_…</code>
        </span>
      </nav>
      <main id="main">
        <ApiReference />
      </main>
    </div>
  );
}
