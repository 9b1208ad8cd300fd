// The security headers: proxy.ts for pages (CSP with a nonce per response, HSTS over https) and
// next.config.ts for every response (the API's CSP included). The built app is checked by e2e specs.
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config, proxy } from "@/proxy";

const page = (headers: Record<string, string> = {}) =>
  proxy(new NextRequest("http://127.0.0.1:3000/projects/alpha", { headers }));

describe("security headers", () => {
  const saved = { url: process.env.NEXTAUTH_URL, hops: process.env.STROP_TRUSTED_PROXY_HOPS };
  afterEach(() => {
    for (const [name, value] of [
      ["NEXTAUTH_URL", saved.url],
      ["STROP_TRUSTED_PROXY_HOPS", saved.hops],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("gives a page a CSP with a fresh nonce, also handed to the renderer through the request", () => {
    delete process.env.NEXTAUTH_URL;
    const first = page();
    const policy = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
    expect(nonce).toHaveLength(24);
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    for (const directive of [
      "default-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
    ])
      expect(policy).toContain(directive);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // Next.js reads the nonce from the request's CSP header (passed on as an override).
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(page().headers.get("content-security-policy")).not.toBe(policy);
    expect(first.headers.get("strict-transport-security")).toBeNull();
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("adds HSTS behind https: the public URL, or X-Forwarded-Proto from a trusted proxy only", () => {
    delete process.env.NEXTAUTH_URL;
    expect(page({ "x-forwarded-proto": "https" }).headers.get("strict-transport-security")).toBeNull();
    process.env.STROP_TRUSTED_PROXY_HOPS = "1";
    const proxied = page({ "x-forwarded-proto": "https" });
    expect(proxied.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(proxied.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    delete process.env.STROP_TRUSTED_PROXY_HOPS;
    process.env.NEXTAUTH_URL = "https://strop.example.com";
    expect(page().headers.get("strict-transport-security")).toMatch(/^max-age=/);
  });

  it("lets the API reference's renderer write <style> elements, and nothing else; scripts stay nonce-only", () => {
    delete process.env.NEXTAUTH_URL;
    const styleSrc = (path: string) => {
      const policy = proxy(new NextRequest(`http://127.0.0.1:3000${path}`)).headers.get(
        "content-security-policy",
      )!;
      expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
      return /style-src ([^;]*)/.exec(policy)![1];
    };
    expect(styleSrc("/docs/api")).toBe("'self' 'unsafe-inline'");
    expect(styleSrc("/docs/api/")).toBe("'self' 'unsafe-inline'");
    for (const path of ["/projects/alpha", "/docs/api-other", "/docs/api/x", "/sign-in"])
      expect(styleSrc(path), path).toMatch(/^'self' 'nonce-[^']+'$/);
  });

  it("runs for pages, not for the API or build assets", () => {
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    for (const path of ["/", "/sign-in", "/projects/alpha/runs", "/docs/api", "/apiary"])
      expect(matcher.test(path), path).toBe(true);
    for (const path of ["/api/v1/me", "/api/auth/csrf", "/_next/static/chunks/a.js", "/favicon.ico"])
      expect(matcher.test(path), path).toBe(false);
  });

  it("sets nosniff, frame denial and a referrer policy on every response, and a deny-all CSP on the API", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((rule) => rule.source === "/:path*")!;
    expect(Object.fromEntries(all.headers.map((h) => [h.key, h.value]))).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
    const api = rules.find((rule) => rule.source === "/api/:path*")!;
    expect(api.headers).toEqual([
      { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
    ]);
  });
});
