// Shared pieces of the browser tests: `test` (Playwright's, failing a test on any browser console error
// or uncaught page error), the first owner's credentials, signing in, making a project through the API
// with the page's session, and screenshots of a page at laptop sizes (which also fail when the page
// scrolls sideways). Specs import `test` and `expect` from here, not from @playwright/test.
import { mkdirSync } from "node:fs";
import path from "node:path";
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  type ConsoleMessage,
  expect,
  type Page,
} from "@playwright/test";

export type { APIRequestContext, Browser, BrowserContext, Locator, Page } from "@playwright/test";
export { expect };

/**
 * A console message that is a failure of the page: `console.error` and the browser's own error lines.
 * Not an error answer of the API (4xx on /api/…), which a form shows as intended (a bad field named);
 * its 5xx and every other resource that fails to load still count.
 */
function isConsoleFailure(message: ConsoleMessage): boolean {
  if (message.type() !== "error") return false;
  const apiClientError =
    /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) &&
    new URL(message.location().url || "about:blank", "http://x").pathname.startsWith("/api/");
  return !apiClientError;
}

export const test = base.extend<{
  /** Errors a test provokes on purpose (matched against the collected lines); none by default. */
  expectedBrowserErrors: RegExp[];
  /** Console errors and uncaught errors of every page the test opens, in any browser context. */
  browserErrors: string[];
}>({
  expectedBrowserErrors: [[], { option: true }],
  browserErrors: [
    async ({ browser, context, expectedBrowserErrors }, use) => {
      const errors: string[] = [];
      const watch = (watched: BrowserContext) => {
        watched.on("console", (message) => {
          if (isConsoleFailure(message))
            errors.push(
              `console error on ${message.page()?.url() ?? "a worker"}: ${message.text()}` +
                (message.location().url ? ` (${message.location().url})` : ""),
            );
        });
        watched.on("weberror", (error) =>
          errors.push(`uncaught error on ${error.page()?.url() ?? "a worker"}: ${error.error().message}`),
        );
      };
      watch(context);
      browser.on("context", watch);
      await use(errors);
      browser.off("context", watch);
      const unexpected = errors.filter(
        (line) => !expectedBrowserErrors.some((pattern) => pattern.test(line)),
      );
      expect(unexpected, "the browser reported errors").toEqual([]);
    },
    { auto: true },
  ],
});

export const OWNER = {
  email: "owner@example.com",
  password: "correct horse battery staple",
  name: "Olive Owner",
};

/** Where the setup project stores the owner's signed-in state (every spec starts from it). */
export const OWNER_STATE = path.join(process.env.STROP_E2E_DATA_DIR ?? ".strop", "owner-state.json");

/** A unique suffix per test run and worker, for slugs and emails. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Creates a project with the session of `request` (a page's or a context's); returns its slug. */
export async function createProject(request: APIRequestContext, name: string): Promise<string> {
  const slug = unique(name.toLowerCase().replace(/[^a-z0-9]+/g, "-")).slice(0, 50);
  const res = await request.post("/api/v1/projects", { data: { slug, name } });
  expect(res.status(), await res.text()).toBe(201);
  return slug;
}

/**
 * A new user, member of `project` with `role`, added by the session of `request` (an owner's); for specs
 * that sign out or end sessions, which must never be the shared owner's (ending a session ends them
 * all, on every device).
 */
export async function createUser(
  request: APIRequestContext,
  role: "viewer" | "editor" | "admin" = "editor",
  project = "default",
): Promise<{ email: string; password: string }> {
  const user = { email: `${unique(role)}@example.com`, password: "a long enough password" };
  const res = await request.post(`/api/v1/projects/${project}/members`, { data: { ...user, role } });
  expect(res.status(), await res.text()).toBe(201);
  return user;
}

/** Collects Content-Security-Policy violations the page reports in its console (expect none). */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

export const LAPTOPS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
] as const;

const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

/**
 * Saves full-page screenshots of the current page at 1280×800 and 1440×900 under e2e/screenshots/, and
 * checks that the page does not scroll sideways at either width. Restores 1280×800.
 */
export async function capture(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const size of [...LAPTOPS].reverse()) {
    await page.setViewportSize(size);
    await page.waitForLoadState("networkidle");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} scrolls sideways at ${size.width}px`).toBeLessThanOrEqual(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: path.join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`),
      fullPage: true,
    });
  }
}
