// Next.js proxy (the successor of middleware.ts), for pages: a Content-Security-Policy with a fresh nonce
// per response — Next.js reads it from the request's CSP header and puts it on its own scripts, so only
// those run — and HSTS when served over https. API routes are left out (no proxy cost on the serving
// path; browsers learn HSTS from pages, API clients ignore it): their headers, and those that never
// change, come from next.config.ts. The policy and its reasons: lib/auth/security-headers.ts.
import { type NextRequest, NextResponse } from "next/server";
import { forwardedHttps } from "@/lib/auth/client-address";
import {
  createNonce,
  pageContentSecurityPolicy,
  pageNeedsInlineStyles,
  STRICT_TRANSPORT_SECURITY,
  servedOverHttps,
} from "@/lib/auth/security-headers";

export function proxy(request: NextRequest): NextResponse {
  const https = servedOverHttps(
    process.env,
    forwardedHttps((name) => request.headers.get(name)),
  );
  const policy = pageContentSecurityPolicy({
    nonce: createNonce(),
    dev: process.env.NODE_ENV === "development",
    https,
    inlineStyles: pageNeedsInlineStyles(request.nextUrl.pathname),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // Pages only: not the API, nor build assets (immutable files; next.config.ts headers apply).
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
