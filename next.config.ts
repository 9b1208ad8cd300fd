import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./lib/auth/security-headers";

// The browser tests (e2e/server.mjs) build into their own folder, STROP_NEXT_DIST_DIR=.next-e2e, so they
// never clash with a `next dev` or `next build` running in the same tree. Their build (STROP_E2E_BUILD=1)
// skips the type check, which `npm test` runs on its own (tsc --noEmit), and writes no Turbopack cache.
const e2eBuild = process.env.STROP_E2E_BUILD === "1";

const nextConfig: NextConfig = {
  distDir: process.env.STROP_NEXT_DIST_DIR || ".next",
  // The container image (Dockerfile) runs the standalone server; `next start` keeps the default output.
  ...(process.env.STROP_STANDALONE === "1" ? { output: "standalone" as const } : {}),
  typescript: { ignoreBuildErrors: e2eBuild },
  experimental: { turbopackFileSystemCacheForBuild: !e2eBuild },
  // Native and engine packages stay outside the server bundle.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/client",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
  ],
  // Security headers that never change (lib/auth/security-headers.ts); proxy.ts adds the pages' CSP
  // (with a nonce per response) and HSTS.
  async headers() {
    return [
      { source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default nextConfig;
