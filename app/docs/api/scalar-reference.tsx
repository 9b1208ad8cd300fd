"use client";
// Scalar's configuration for a self-hosted, offline app: the document comes from this server; Scalar's
// hosted services stay off (fonts, telemetry, AI agent, MCP, the API client that can proxy requests
// through scalar.com), so the page needs nothing beyond its own origin. Its theme CSS is a <style>
// element without our nonce: the page's CSP allows inline styles (lib/auth/security-headers.ts).
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

const CONFIGURATION = {
  url: "/api/v1/openapi.json",
  title: "Strop API",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  hideClientButton: true,
  hideTestRequestButton: true,
  showDeveloperTools: "never",
  hideDarkModeToggle: true,
  forceDarkModeState: "light",
  documentDownloadType: "json",
  operationTitleSource: "summary",
  defaultOpenFirstTag: true,
  // The light theme's muted text and method colours, darkened to a 4.5:1 contrast (WCAG AA).
  customCss: `:root.light-mode, :root .light-mode {
    --scalar-color-2: #575757;
    --scalar-color-3: #616161;
    --scalar-color-green: #047857;
    --scalar-color-red: #c3000a;
    --scalar-color-yellow: #8a6500;
    --scalar-color-orange: #b45309;
  }`,
} as const;

export default function ScalarReference() {
  return <ApiReferenceReact configuration={CONFIGURATION} />;
}
