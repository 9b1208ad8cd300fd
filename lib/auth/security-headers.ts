// Response headers that keep pages from being framed, sniffed or scripted by anyone else. Two layers:
// - STATIC_SECURITY_HEADERS on every response (next.config.ts `headers()`, decided at build time);
// - per request (proxy.ts): pages get a CSP with a fresh nonce, which Next.js puts on its own scripts
//   (nonce + 'strict-dynamic': no inline or foreign script runs), and HSTS when served over https.
// API responses are JSON, never rendered: a CSP that allows nothing at all.

/** On every response, API and pages alike. */
export const STATIC_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** For API responses (JSON, CSV, event streams): nothing in them may load or run, nothing may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Two years, subdomains included (no `preload`: that is the operator's decision). */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** A nonce for one response: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Pages whose renderer writes `<style>` elements it cannot give our nonce: the API reference (the Scalar
 * renderer injects its theme's CSS at run time). Only their styles are relaxed; scripts stay nonce-only.
 */
const INLINE_STYLE_PAGES = new Set(["/docs/api"]);

export function pageNeedsInlineStyles(pathname: string): boolean {
  return INLINE_STYLE_PAGES.has(pathname.replace(/\/+$/, "") || "/");
}

/**
 * The pages' policy. `style-src-attr 'unsafe-inline'` allows `style="…"` attributes (React renders
 * computed widths of progress bars and charts that way); they cannot run script. Development adds what
 * React's dev tooling needs (eval for error stacks, injected styles). `inlineStyles` (see
 * pageNeedsInlineStyles) allows `<style>` elements without the nonce: a nonce in the directive would make
 * browsers ignore 'unsafe-inline'.
 */
export function pageContentSecurityPolicy(options: {
  nonce: string;
  dev: boolean;
  https: boolean;
  inlineStyles?: boolean;
}): string {
  const { nonce, dev, https, inlineStyles = false } = options;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${dev || inlineStyles ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * Whether the app is served over https: its public URL says so (NEXTAUTH_URL), or a trusted proxy
 * (STROP_TRUSTED_PROXY_HOPS > 0) reports the client's scheme as https (`forwardedHttps`).
 */
export function servedOverHttps(env: Record<string, string | undefined>, forwardedHttps: boolean): boolean {
  return (env.NEXTAUTH_URL ?? "").startsWith("https://") || forwardedHttps;
}
